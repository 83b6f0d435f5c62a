#pragma once
// The man pages kml(1) and kml-CMD(1), in roff with the man(7) macros,
// made from the same text as `kml --help` (commands.cpp). The build runs
// `kml --man-pages DIR` to write them (userspace/kml/CMakeLists.txt).

#include "command.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace kml {

// The page of one subcommand: kml-NAME(1).
std::string commandManPage(const Command &command, std::string_view version);
// The page of kml itself: kml(1), listing every subcommand's page.
std::string overviewManPage(std::string_view version);

// The file name of a page: "kml.1", "kml-mark.1".
std::string manPageFileName(const Command *command);

// Writes kml.1 and every kml-CMD.1 into dir. Throws std::system_error.
void writeManPages(const std::filesystem::path &dir, std::string_view version);

} // namespace kml
