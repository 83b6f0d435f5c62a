#include "help_text.hpp"

#include "output_session.hpp"

#include <algorithm>
#include <ostream>
#include <string>

namespace kml {
namespace {

constexpr std::size_t kTextIndent = 6; // under an option, a code, a command
constexpr std::size_t kWidth = 79;
constexpr std::size_t kFormHang =
    8; // a usage form's second line, under kml --help

// The parts of text between separator, empty ones included.
template <typename Visit>
void forEachPart(std::string_view text, std::string_view separator,
                 Visit visit) {
  while (true) {
    const std::size_t end = text.find(separator);
    visit(text.substr(0, end));
    if (end == std::string_view::npos) {
      return;
    }
    text.remove_prefix(end + separator.size());
  }
}

// paragraph filled to width: the first line indented by indent, the
// others by hang.
std::string fillParagraph(std::string_view paragraph, std::size_t indent,
                          std::size_t hang, std::size_t width) {
  std::string filled;
  std::size_t column = 0;
  std::size_t start = 0;
  while (start < paragraph.size()) {
    const std::size_t space = paragraph.find_first_of(" \n", start);
    const std::size_t end =
        space == std::string_view::npos ? paragraph.size() : space;
    const std::string_view word = paragraph.substr(start, end - start);
    start = end + 1;
    if (word.empty()) {
      continue;
    }
    if (column > 0 && column + 1 + word.size() > width) {
      filled += '\n';
      column = 0;
    }
    if (column == 0) {
      const std::size_t margin = filled.empty() ? indent : hang;
      filled.append(margin, ' ');
      column = margin;
    } else {
      filled += ' ';
      ++column;
    }
    filled += word;
    column += word.size();
  }
  if (!filled.empty()) {
    filled += '\n';
  }
  return filled;
}

void printHeading(const OutputSession &out, std::string_view heading) {
  out.stream() << "\n" << out.colour(Colour::Bold, heading) << "\n";
}

// A term (an option, a command line) and its text under it.
void printItem(const OutputSession &out, std::string_view term,
               std::string_view text) {
  out.stream() << "  " << out.colour(Colour::Bold, term) << "\n"
               << fillParagraphs(text, kTextIndent);
}

// An exit code and its meaning beside it.
void printExit(const OutputSession &out, const ExitHelp &exit) {
  const std::string code = std::to_string(exit.code);
  const std::string filled =
      fillParagraphs(exit.meaning, kTextIndent).substr(kTextIndent);
  out.stream() << "  " << out.colour(Colour::Bold, code)
               << std::string(kTextIndent - 2 - std::min(code.size(), 3UL), ' ')
               << filled;
}

// A form of the command's usage ("mark FILE [-o OUT]"), each on its lines.
template <typename Visit>
void forEachForm(const Command &command, Visit visit) {
  forEachPart(command.usage, "\n", [&](std::string_view form) {
    form.remove_prefix(std::min(form.find_first_not_of(' '), form.size()));
    visit(form);
  });
}

} // namespace

std::string fillParagraphs(std::string_view text, std::size_t indent,
                           std::size_t width) {
  std::string filled;
  forEachPart(text, "\n\n", [&](std::string_view paragraph) {
    if (!filled.empty()) {
      filled += '\n';
    }
    filled += fillParagraph(paragraph, indent, indent, width);
  });
  return filled;
}

std::string usageLines(const Command &command) {
  constexpr std::string_view kFirst = "usage: kml ";
  std::string lines;
  forEachForm(command, [&](std::string_view form) {
    const std::string line =
        (lines.empty() ? std::string(kFirst) : "kml ") + std::string(form);
    lines += fillParagraph(line, lines.empty() ? 0 : kFirst.size() - 4,
                           kFirst.size(), kWidth);
  });
  return lines;
}

void printCommandHelp(const OutputSession &out, const Command &command) {
  const CommandHelp &help = command.help;
  out.stream() << usageLines(command) << "\n"
               << fillParagraphs(help.description, 0);
  if (!help.options.empty()) {
    printHeading(out, "options and arguments:");
    for (const OptionHelp &option : help.options) {
      printItem(out, option.name, option.text);
    }
  }
  if (!help.exitStatus.empty()) {
    printHeading(out, "exit status:");
    for (const ExitHelp &exit : help.exitStatus) {
      printExit(out, exit);
    }
  }
  if (!help.examples.empty()) {
    printHeading(out, "examples:");
    for (const ExampleHelp &example : help.examples) {
      printItem(out, example.command, example.text);
    }
  }
  out.stream() << "\nSee also kml --help, and man kml-" << command.name
               << ".\n";
}

void printOverview(const OutputSession &out) {
  const CommandHelp &help = overviewHelp();
  out.stream() << "usage: kml [--version] [--help] [--color=WHEN] <command> "
                  "[args...]\n\n"
               << fillParagraphs(help.description, 0);
  printHeading(out, "commands:");
  for (const Command &command : allCommands()) {
    forEachForm(command, [&](std::string_view form) {
      // Filled plain, then the command's name in bold.
      const std::string filled = fillParagraph(form, 2, kFormHang, kWidth);
      out.stream() << "  " << out.colour(Colour::Bold, command.name)
                   << std::string_view(filled).substr(2 + command.name.size());
    });
    out.stream() << fillParagraphs(command.summary, kTextIndent);
  }
  printHeading(out, "options:");
  for (const OptionHelp &option : help.options) {
    printItem(out, option.name, option.text);
  }
  out.stream() << "\n'kml help COMMAND' or 'kml COMMAND --help' shows a "
                  "command's options, exit status and examples.\n";
}

} // namespace kml
