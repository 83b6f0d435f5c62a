#pragma once
// The help `kml` prints on a terminal: `kml --help` (every command, one
// line each) and `kml CMD --help` (one command: usage, description,
// options, exit status, examples), from the text in commands.cpp, wrapped
// to 80 columns and, when the session colours, with bold headings.

#include "command.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace kml {

class OutputSession;

// text's paragraphs (separated by a blank line) filled to width columns,
// each line indented by indent spaces; a blank line between paragraphs.
std::string fillParagraphs(std::string_view text, std::size_t indent,
                           std::size_t width = 79);

// "usage: kml CMD ..." and a line per other form of the command, filled
// to 79 columns.
std::string usageLines(const Command &command);

void printCommandHelp(const OutputSession &out, const Command &command);
void printOverview(const OutputSession &out);

} // namespace kml
