// Coverage figures: the fast share (direct + bypass over all calls) in
// hundredths of a percent, its text, the --require-direct value and check.

#include "kml/stats/coverage.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace kml::stats {
namespace {

TEST(Coverage, TotalsAddUpRecords) {
  std::vector<ProgramRecord> records(2);
  records[0].direct = 1500;
  records[0].slow = 3;
  records[1].direct = 100;
  records[1].bypass = 7;
  const PathTotals totals = totalsOf(records);
  EXPECT_EQ(totals, (PathTotals{.direct = 1600, .bypass = 7, .slow = 3}));
  EXPECT_EQ(totals.calls(), 1610U);
  EXPECT_EQ(totals.fast(), 1607U);
}

TEST(Coverage, ShareCountsDirectAndBypass) {
  EXPECT_EQ(formatShare(fastShare({.direct = 1500, .slow = 3})), "99.80%");
  EXPECT_EQ(formatShare(fastShare({.direct = 1, .bypass = 1, .slow = 2})),
            "50.00%");
  EXPECT_EQ(formatShare(fastShare({.bypass = 5})), "100.00%");
  EXPECT_EQ(formatShare(fastShare({.slow = 5})), "0.00%");
}

TEST(Coverage, ShareRoundsDown) {
  // 99999 of 100000 is 99.999%: shown as 99.99%, never 100.00%.
  EXPECT_EQ(formatShare(fastShare({.direct = 99999, .slow = 1})), "99.99%");
  EXPECT_EQ(formatShare(fastShare({.direct = 2, .slow = 1})), "66.66%");
}

TEST(Coverage, ZeroCallsHaveNoShare) {
  EXPECT_FALSE(fastShare({}).has_value());
  EXPECT_EQ(formatShare(fastShare({})), "n/a");
  EXPECT_FALSE(meets({}, Share{0})) << "nothing ran: not covered";
}

TEST(Coverage, HugeCountersDoNotOverflow) {
  const std::uint64_t big = 1ULL << 62;
  EXPECT_EQ(formatShare(fastShare({.direct = big, .slow = big})), "50.00%");
}

TEST(Coverage, ParseShare) {
  EXPECT_EQ(parseShare("90"), Share{9000});
  EXPECT_EQ(parseShare("99.5"), Share{9950});
  EXPECT_EQ(parseShare("99.75"), Share{9975});
  EXPECT_EQ(parseShare("0"), Share{0});
  EXPECT_EQ(parseShare("100"), Share{10000});
  EXPECT_EQ(parseShare("100.00"), Share{10000});
  for (const char *bad : {"", "100.01", "101", "-1", "+5", "99.", ".5",
                          "99.123", "5%", "abc", "1e2", " 5", "1000"}) {
    EXPECT_FALSE(parseShare(bad).has_value()) << "'" << bad << "'";
  }
}

// parseShare(text) for a text it must accept; a refusal fails the test.
Share accepted(const char *text) {
  const std::optional<Share> share = parseShare(text);
  if (!share) {
    ADD_FAILURE() << "parseShare refused '" << text << "'";
    return Share{};
  }
  return *share;
}

TEST(Coverage, MeetsComparesExactly) {
  const PathTotals totals{.direct = 998, .slow = 2}; // 99.80%
  EXPECT_TRUE(meets(totals, accepted("99.8")));
  EXPECT_TRUE(meets(totals, accepted("99")));
  EXPECT_FALSE(meets(totals, accepted("99.81")));
  EXPECT_TRUE(meets({.direct = 1}, accepted("100")));
  EXPECT_FALSE(meets({.direct = 99999, .slow = 1}, accepted("100")));
}

} // namespace
} // namespace kml::stats
