// The pager: started only when standard output is a terminal (or a test
// says it is), given the text with its colour codes, waited for, and
// harmless when the user quits it early. A fake pager (`cat > FILE`)
// records what it got.

#include "kml_process.hpp"

#include "kml/testing/temp_dir.hpp"
#include "output_session.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <string>

namespace kml::clitest {
namespace {

namespace fs = std::filesystem;
using kml::testing::TempDir;

bool contains(const std::string &text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TerminalState terminalWithPager(const std::string &pager) {
  TerminalState state;
  state.stdoutIsTerminal = true;
  state.term = "xterm";
  state.kmlPager = pager;
  return state;
}

TEST(OutputSession, PagesThroughThePagerOnATerminal) {
  const TempDir dir;
  const fs::path record = dir / "paged";
  {
    const OutputSession out(
        ColourChoice::Auto, Paging::Auto,
        terminalWithPager("cat > '" + record.string() + "'"));
    ASSERT_TRUE(out.paged());
    EXPECT_TRUE(out.colourOn());
    out.stream() << "path: " << out.colour(Colour::Green, "direct") << "\n";
  }
  // The destructor waited for the pager: its file is complete.
  EXPECT_EQ(readFile(record.string()), "path: \x1b[32mdirect\x1b[m\n");
}

TEST(OutputSession, NoPagerAndNoColourWhenNotATerminal) {
  const TempDir dir;
  TerminalState state =
      terminalWithPager("touch '" + (dir / "ran").string() + "'");
  state.stdoutIsTerminal = false;
  ::testing::internal::CaptureStdout();
  {
    const OutputSession out(std::nullopt, Paging::Auto, state);
    EXPECT_FALSE(out.paged());
    EXPECT_FALSE(out.colourOn());
    out.stream() << out.colour(Colour::Red, "plain") << "\n";
  }
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "plain\n");
  EXPECT_FALSE(fs::exists(dir / "ran"));
}

TEST(OutputSession, PagingNeverStartsNoPager) {
  const TempDir dir;
  ::testing::internal::CaptureStdout();
  {
    const OutputSession out(
        ColourChoice::Never, Paging::Never,
        terminalWithPager("touch '" + (dir / "ran").string() + "'"));
    EXPECT_FALSE(out.paged());
  }
  ::testing::internal::GetCapturedStdout();
  EXPECT_FALSE(fs::exists(dir / "ran"));
}

TEST(OutputSession, APagerQuitEarlyDoesNotKillTheCommand) {
  // `true` reads nothing and exits: every write after that meets a closed
  // pipe. Without the SIGPIPE handling the test process would die here.
  std::string line(200, 'x');
  {
    const OutputSession out(ColourChoice::Never, Paging::Auto,
                            terminalWithPager("true"));
    ASSERT_TRUE(out.paged());
    for (int i = 0; i < 5000; ++i) {
      out.stream() << line << "\n";
    }
    out.stream().flush();
  }
  // Standard output is back and usable.
  EXPECT_TRUE(std::cout.good());
  struct sigaction action = {};
  ::sigaction(SIGPIPE, nullptr, &action);
  EXPECT_EQ(action.sa_handler, SIG_DFL); // as it was before the session
}

TEST(OutputSession, ColourChoiceOfKmlIsTheDefault) {
  TerminalState state; // not a terminal
  OutputSession::setDefaultColourChoice(ColourChoice::Always);
  {
    const OutputSession out(std::nullopt, Paging::Never, state);
    EXPECT_TRUE(out.colourOn());
  }
  {
    const OutputSession out(ColourChoice::Never, Paging::Never, state);
    EXPECT_FALSE(out.colourOn()); // the command's own --color wins
  }
  OutputSession::setDefaultColourChoice(ColourChoice::Auto);
}

// The kml binary, its standard output on a pseudo-terminal.
KmlResult helpOnTerminal(const fs::path &record,
                         std::map<std::string, std::optional<std::string>> env,
                         std::vector<std::string> args = {"--help"}) {
  env.emplace("KML_PAGER", "cat > '" + record.string() + "'");
  env.emplace("TERM", "xterm");
  env.emplace("NO_COLOR", std::nullopt);
  return runKml({std::move(args), std::move(env), true});
}

TEST(KmlPager, HelpOnATerminalGoesThroughThePagerWithColour) {
  const TempDir dir;
  const KmlResult got = helpOnTerminal(dir / "paged", {});
  EXPECT_EQ(got.exitCode, 0) << got.err;
  const std::string paged = readFile((dir / "paged").string());
  EXPECT_TRUE(contains(paged, "usage: kml")) << paged;
  EXPECT_TRUE(contains(paged, "\x1b[1m")) << paged; // bold headings
  // It went to the pager, not to the terminal.
  EXPECT_FALSE(contains(got.out, "usage: kml")) << got.out;
}

TEST(KmlPager, SubcommandHelpIsPagedToo) {
  const TempDir dir;
  const KmlResult got =
      helpOnTerminal(dir / "paged", {}, {"mark", "--help", "--color=never"});
  EXPECT_EQ(got.exitCode, 0) << got.err;
  const std::string paged = readFile((dir / "paged").string());
  EXPECT_TRUE(paged.starts_with("usage: kml mark")) << paged;
  EXPECT_FALSE(contains(paged, "\x1b[")) << paged;
}

TEST(KmlPager, NoColorAndDumbTermKeepColourOff) {
  for (const auto &[name, value] :
       {std::pair{"NO_COLOR", "1"}, std::pair{"TERM", "dumb"}}) {
    const TempDir dir;
    const KmlResult got =
        helpOnTerminal(dir / "paged", {{name, std::string(value)}});
    EXPECT_EQ(got.exitCode, 0) << got.err;
    const std::string paged = readFile((dir / "paged").string());
    EXPECT_TRUE(contains(paged, "usage: kml")) << name;
    EXPECT_FALSE(contains(paged, "\x1b[")) << name;
  }
}

TEST(KmlPager, CatAsPagerWritesToTheTerminal) {
  const TempDir dir;
  const KmlResult got = runKml(
      {{"--help"},
       {{"KML_PAGER", "cat"}, {"TERM", "xterm"}, {"NO_COLOR", std::nullopt}},
       true});
  EXPECT_EQ(got.exitCode, 0);
  EXPECT_TRUE(contains(got.out, "usage: kml")) << got.out;
  EXPECT_TRUE(contains(got.out, "\x1b[1m")) << got.out;
}

TEST(KmlPager, NeverStartedWhenOutputIsNotATerminal) {
  const TempDir dir;
  const fs::path ran = dir / "ran";
  for (const std::vector<std::string> &args :
       std::vector<std::vector<std::string>>{
           {"--help"}, {"mark", "--help"}, {"--color=always", "help"}}) {
    const KmlResult got =
        runKml({args, {{"KML_PAGER", "touch '" + ran.string() + "'"}}, false});
    EXPECT_EQ(got.exitCode, 0);
    EXPECT_TRUE(contains(got.out, "usage: kml"));
    EXPECT_FALSE(fs::exists(ran)) << args.front();
  }
  // --color=always colours a file, as asked.
  EXPECT_TRUE(
      contains(runKml({{"--color=always", "help"}, {}, false}).out, "\x1b[1m"));
  EXPECT_FALSE(contains(runKml({{"help"}, {}, false}).out, "\x1b["));
}

TEST(KmlPager, APagerThatQuitsEarlyLeavesTheExitStatus) {
  // A pager that reads one line and quits, as a user pressing q at once
  // (the help may all be in the pipe by then: the in-process test above
  // is the one that writes to a closed pipe).
  const KmlResult got =
      runKml({{"--help"},
              {{"KML_PAGER", "head -n 1 >/dev/null"}, {"TERM", "xterm"}},
              true});
  EXPECT_EQ(got.exitCode, 0) << got.err; // not 141, killed by SIGPIPE
  EXPECT_EQ(got.err, "");
}

} // namespace
} // namespace kml::clitest
