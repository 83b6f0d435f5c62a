// The colour and pager decisions, for terminals the test makes up.

#include "arg_cursor.hpp"
#include "output_policy.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace kml {
namespace {

TerminalState terminal() {
  TerminalState state;
  state.stdoutIsTerminal = true;
  state.term = "xterm-256color";
  return state;
}

TerminalState notTerminal() {
  TerminalState state = terminal();
  state.stdoutIsTerminal = false;
  return state;
}

TEST(ColourPolicy, AutoColoursOnlyATerminal) {
  EXPECT_TRUE(shouldColour(ColourChoice::Auto, terminal()));
  EXPECT_FALSE(shouldColour(ColourChoice::Auto, notTerminal()));
}

TEST(ColourPolicy, AlwaysAndNeverAreObeyedAnywhere) {
  for (const TerminalState &state : {terminal(), notTerminal()}) {
    EXPECT_TRUE(shouldColour(ColourChoice::Always, state));
    EXPECT_FALSE(shouldColour(ColourChoice::Never, state));
  }
}

TEST(ColourPolicy, NoColorTurnsAutoOff) {
  TerminalState state = terminal();
  state.noColor = "1";
  EXPECT_FALSE(shouldColour(ColourChoice::Auto, state));
  EXPECT_TRUE(shouldColour(ColourChoice::Always, state));
  // no-color.org: set but empty does not count.
  state.noColor = "";
  EXPECT_TRUE(shouldColour(ColourChoice::Auto, state));
}

TEST(ColourPolicy, DumbOrMissingTermTurnsAutoOff) {
  TerminalState state = terminal();
  state.term = "dumb";
  EXPECT_FALSE(shouldColour(ColourChoice::Auto, state));
  state.term.reset();
  EXPECT_FALSE(shouldColour(ColourChoice::Auto, state));
  EXPECT_TRUE(shouldColour(ColourChoice::Always, state));
}

TEST(ColourPolicy, ParsesTheThreeChoices) {
  EXPECT_EQ(parseColourChoice("auto"), ColourChoice::Auto);
  EXPECT_EQ(parseColourChoice("always"), ColourChoice::Always);
  EXPECT_EQ(parseColourChoice("never"), ColourChoice::Never);
  EXPECT_EQ(parseColourChoice("yes"), std::nullopt);
  EXPECT_EQ(parseColourChoice(""), std::nullopt);
}

TEST(ColourPolicy, TakesTheColorOptionInBothForms) {
  const std::vector<std::string_view> args{"--color=never", "--color", "always",
                                           "FILE"};
  ArgCursor cursor(args);
  std::optional<ColourChoice> choice;
  ASSERT_TRUE(takeColourOption(cursor, choice));
  EXPECT_EQ(choice, ColourChoice::Never);
  ASSERT_TRUE(takeColourOption(cursor, choice));
  EXPECT_EQ(choice, ColourChoice::Always);
  EXPECT_FALSE(takeColourOption(cursor, choice));
  EXPECT_EQ(cursor.current(), "FILE");

  const std::vector<std::string_view> bad{"--color=sometimes"};
  ArgCursor badCursor(bad);
  EXPECT_THROW(takeColourOption(badCursor, choice), UsageProblem);
}

TEST(PagerPolicy, NoPagerWhenNotATerminal) {
  TerminalState state = notTerminal();
  state.kmlPager = "less";
  EXPECT_EQ(pagerCommand(state), std::nullopt);
}

TEST(PagerPolicy, DefaultIsLessThatQuitsOnOneScreen) {
  EXPECT_EQ(pagerCommand(terminal()), std::string(kDefaultPager));
  EXPECT_EQ(kDefaultPager, "less -FRX");
}

TEST(PagerPolicy, KmlPagerBeforePager) {
  TerminalState state = terminal();
  state.pager = "more";
  EXPECT_EQ(pagerCommand(state), "more");
  state.kmlPager = "most";
  EXPECT_EQ(pagerCommand(state), "most");
}

TEST(PagerPolicy, EmptyOrCatMeansNoPager) {
  TerminalState state = terminal();
  state.pager = "";
  EXPECT_EQ(pagerCommand(state), std::nullopt);
  state.pager = "less";
  state.kmlPager = "cat";
  EXPECT_EQ(pagerCommand(state), std::nullopt);
}

} // namespace
} // namespace kml
