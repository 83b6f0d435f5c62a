#include "core/RuleTable.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace kml::verify;

TEST(RuleTable, HasNineteenRulesInIdOrder) {
  auto rules = ruleTable();
  ASSERT_EQ(rules.size(), 19u);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string number = std::to_string(i + 1);
    const std::string expected =
        "KML-R" + std::string(3 - number.size(), '0') + number;
    EXPECT_EQ(rules[i].id, expected);
  }
}

TEST(RuleTable, EveryRuleIsFullyDocumented) {
  std::set<std::string_view> names;
  for (const RuleInfo &r : ruleTable()) {
    EXPECT_FALSE(r.name.empty()) << r.id;
    EXPECT_FALSE(r.summary.empty()) << r.id;
    EXPECT_FALSE(r.rationale.empty()) << r.id;
    EXPECT_FALSE(r.bad.empty()) << r.id;
    EXPECT_FALSE(r.good.empty()) << r.id;
    EXPECT_FALSE(r.fix.empty()) << r.id;
    EXPECT_NE(r.bad, r.good) << r.id;
    EXPECT_TRUE(names.insert(r.name).second) << "duplicate name " << r.name;
  }
}

TEST(RuleTable, LookupByIdAndIndex) {
  ASSERT_NE(findRule("KML-R006"), nullptr);
  EXPECT_EQ(findRule("KML-R006")->name, "no-pointer-arithmetic");
  EXPECT_EQ(findRule("KML-R999"), nullptr);
  EXPECT_EQ(findRule(""), nullptr);
  EXPECT_EQ(ruleIndex("KML-R001"), 0);
  EXPECT_EQ(ruleIndex("KML-R014"), 13);
  EXPECT_EQ(ruleIndex("KML-R015"), 14);
  ASSERT_NE(findRule("KML-R015"), nullptr);
  EXPECT_EQ(findRule("KML-R015")->name, "no-runtime-executable-memory");
  EXPECT_EQ(ruleIndex("KML-B001"), -1);
}

TEST(RuleTable, RuleSetIsVersioned) { EXPECT_EQ(kRuleSetVersion, "4"); }
