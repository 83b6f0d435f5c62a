// Every subcommand's help: its text in the table is all there, `kml CMD
// --help`, `kml CMD -h` and `kml help CMD` print exactly what the table
// says and exit 0, before the command looks at its other arguments, and
// --help that belongs to another program is left to it.

#include "kml_process.hpp"

#include "command.hpp"
#include "help_text.hpp"
#include "output_session.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kml::clitest {
namespace {

constexpr int kExitUsageCode = 64;

bool contains(const std::string &text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// What the table says `kml CMD --help` prints, without colour or pager.
std::string expectedHelp(const Command &command) {
  ::testing::internal::CaptureStdout();
  {
    const OutputSession out(ColourChoice::Never, Paging::Never,
                            TerminalState{});
    printCommandHelp(out, command);
  }
  return ::testing::internal::GetCapturedStdout();
}

std::vector<std::string> commandNames() {
  std::vector<std::string> names;
  for (const Command &command : allCommands()) {
    names.emplace_back(command.name);
  }
  return names;
}

TEST(HelpTable, EveryCommandHasItsHelp) {
  ASSERT_FALSE(allCommands().empty());
  for (const Command &command : allCommands()) {
    SCOPED_TRACE(std::string(command.name));
    const CommandHelp &help = command.help;
    EXPECT_FALSE(command.usage.empty());
    EXPECT_TRUE(command.usage.starts_with(command.name));
    EXPECT_FALSE(command.summary.empty());
    // A description of a few sentences, not the summary again.
    EXPECT_GE(std::ranges::count(help.description, '.'), 2);
    EXPECT_NE(help.description, command.summary);
    EXPECT_FALSE(help.options.empty());
    for (const OptionHelp &option : help.options) {
      EXPECT_FALSE(option.name.empty());
      EXPECT_FALSE(option.text.empty()) << option.name;
    }
    ASSERT_FALSE(help.exitStatus.empty());
    EXPECT_EQ(help.exitStatus.front().code, kExitOk);
    EXPECT_TRUE(std::ranges::any_of(help.exitStatus, [](const ExitHelp &e) {
      return e.code == kExitUsage;
    }));
    EXPECT_TRUE(std::ranges::is_sorted(help.exitStatus, {}, &ExitHelp::code));
    ASSERT_FALSE(help.examples.empty());
    for (const ExampleHelp &example : help.examples) {
      EXPECT_TRUE(contains(std::string(example.command),
                           "kml " + std::string(command.name)))
          << example.command;
      EXPECT_FALSE(example.text.empty());
    }
  }
}

TEST(HelpTable, NamesAreUniqueAndFound) {
  std::vector<std::string> names = commandNames();
  std::ranges::sort(names);
  EXPECT_EQ(std::ranges::adjacent_find(names), names.end());
  for (const Command &command : allCommands()) {
    EXPECT_EQ(findCommand(command.name), &command);
  }
  EXPECT_EQ(findCommand("no-such-command"), nullptr);
}

TEST(HelpText, ShowsEverySectionOfTheTable) {
  for (const Command &command : allCommands()) {
    SCOPED_TRACE(std::string(command.name));
    const std::string help = expectedHelp(command);
    EXPECT_TRUE(help.starts_with("usage: kml " + std::string(command.name)));
    for (const std::string_view section :
         {"options and arguments:", "exit status:", "examples:"}) {
      EXPECT_TRUE(contains(help, section)) << section;
    }
    for (const OptionHelp &option : command.help.options) {
      EXPECT_TRUE(contains(help, option.name)) << option.name;
    }
    for (const ExampleHelp &example : command.help.examples) {
      EXPECT_TRUE(contains(help, example.command)) << example.command;
    }
    std::size_t start = 0;
    while (start < help.size()) {
      const std::size_t end = std::min(help.find('\n', start), help.size());
      EXPECT_LE(end - start, 79U) << help.substr(start, end - start);
      start = end + 1;
    }
  }
}

TEST(HelpText, FillsParagraphsToTheWidth) {
  EXPECT_EQ(fillParagraphs("one two three four", 2, 12),
            "  one two\n  three four\n");
  EXPECT_EQ(fillParagraphs("a b\n\nc", 0), "a b\n\nc\n");
  EXPECT_EQ(fillParagraphs("", 4), "");
}

TEST(HelpCommand, EveryCommandPrintsItsHelpAndExitsZero) {
  for (const Command &command : allCommands()) {
    const std::string name(command.name);
    SCOPED_TRACE(name);
    const std::string expected = expectedHelp(command);
    for (const std::vector<std::string> &args :
         std::vector<std::vector<std::string>>{
             {name, "--help"}, {name, "-h"}, {"help", name}}) {
      const KmlResult got = runKml({args, {}, false});
      EXPECT_EQ(got.exitCode, 0) << got.err;
      EXPECT_EQ(got.out, expected) << args.front() << " " << args.back();
      EXPECT_EQ(got.err, "");
    }
  }
}

TEST(HelpCommand, HelpComesBeforeAnyOtherArgumentCheck) {
  for (const Command &command : allCommands()) {
    const std::string name(command.name);
    SCOPED_TRACE(name);
    // Arguments each command refuses on its own.
    const KmlResult got = runKml(
        {{name, "--no-such-option", "--help", "a", "b", "c"}, {}, false});
    EXPECT_EQ(got.exitCode, 0) << got.err;
    EXPECT_TRUE(got.out.starts_with("usage: kml " + name)) << got.out;
  }
}

TEST(HelpCommand, HelpAfterDashDashIsTheOtherProgramsOwn) {
  // stats runs CMD with its arguments: the --help is CMD's (here /bin/echo
  // prints it), and stats says there are no counters to read.
  const KmlResult got = runKml({{"stats", "--", "/bin/echo", "--help"},
                                {{"KML_SYSFS_DIR", "/nonexistent"}},
                                false});
  EXPECT_FALSE(contains(got.out, "usage: kml stats")) << got.out;
}

TEST(HelpCommand, HelpAfterRunsProgramIsTheProgramsOwn) {
  // Without --ring0, `kml run` runs PROGRAM with its own loader; the
  // --help goes to it.
  const KmlResult got = runKml({{"run", "/bin/true", "--help"}, {}, false});
  EXPECT_FALSE(contains(got.out, "usage: kml run")) << got.out;
  EXPECT_TRUE(
      runKml({{"run", "--help"}, {}, false}).out.starts_with("usage: kml run"));
}

TEST(HelpCommand, OverviewListsEveryCommand) {
  for (const std::vector<std::string> &args :
       std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}}) {
    const KmlResult got = runKml({args, {}, false});
    EXPECT_EQ(got.exitCode, 0);
    for (const Command &command : allCommands()) {
      EXPECT_TRUE(contains(got.out, "\n  " + std::string(command.name) + " "))
          << command.name;
    }
    EXPECT_TRUE(contains(got.out, "--color=WHEN"));
  }
}

TEST(HelpCommand, UnknownCommandIsAUsageError) {
  const KmlResult got = runKml({{"help", "no-such-command"}, {}, false});
  EXPECT_EQ(got.exitCode, kExitUsageCode);
  EXPECT_TRUE(contains(got.err, "no-such-command"));
  EXPECT_EQ(runKml({{}, {}, false}).exitCode, kExitUsageCode);
  EXPECT_EQ(runKml({{"--color=sometimes", "--help"}, {}, false}).exitCode,
            kExitUsageCode);
}

} // namespace
} // namespace kml::clitest
