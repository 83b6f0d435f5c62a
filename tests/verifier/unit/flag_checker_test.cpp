#include "core/FlagChecker.hpp"

#include <gtest/gtest.h>

using namespace kml::verify;
using Args = std::vector<std::string>;

namespace {
Args withRequired(Args extra = {}) {
  Args a{"clang", "-O2"};
  for (const auto &f : requiredFlags())
    a.emplace_back(f);
  a.insert(a.end(), extra.begin(), extra.end());
  a.emplace_back("app.c");
  return a;
}
} // namespace

TEST(FlagChecker, RequiredFlagsAreTheDocumentedSix) {
  EXPECT_EQ(requiredFlags(),
            (Args{"-mno-red-zone", "-fsanitize=bounds",
                  "-fsanitize-trap=bounds", "-ftrivial-auto-var-init=zero",
                  "-fstack-protector-strong", "-fcf-protection=full"}));
}

TEST(FlagChecker, AllPresentMeansNothingMissing) {
  EXPECT_TRUE(missingRequiredFlags(withRequired()).empty());
}

TEST(FlagChecker, EmptyCommandLacksEverything) {
  EXPECT_EQ(missingRequiredFlags({"clang", "app.c"}), requiredFlags());
}

TEST(FlagChecker, LastFlagWins) {
  EXPECT_EQ(missingRequiredFlags(withRequired({"-mred-zone"})),
            Args{"-mno-red-zone"});
  EXPECT_EQ(missingRequiredFlags(withRequired({"-fno-stack-protector"})),
            Args{"-fstack-protector-strong"});
  EXPECT_EQ(missingRequiredFlags(withRequired({"-fcf-protection=none"})),
            Args{"-fcf-protection=full"});
  EXPECT_EQ(
      missingRequiredFlags(withRequired({"-ftrivial-auto-var-init=pattern"})),
      Args{"-ftrivial-auto-var-init=zero"});
  EXPECT_EQ(missingRequiredFlags(withRequired({"-fno-sanitize=bounds"})),
            Args{"-fsanitize=bounds"});
  EXPECT_EQ(missingRequiredFlags(withRequired({"-fno-sanitize-trap=all"})),
            Args{"-fsanitize-trap=bounds"});
  // Re-enabling after disabling is fine.
  EXPECT_TRUE(
      missingRequiredFlags(withRequired({"-mred-zone", "-mno-red-zone"}))
          .empty());
}

TEST(FlagChecker, EquivalentSpellingsAreAccepted) {
  Args a{"clang",
         "-mno-red-zone",
         "-fsanitize=array-bounds,local-bounds,undefined",
         "-fsanitize-trap=all",
         "-ftrivial-auto-var-init=zero",
         "-fstack-protector-all",
         "-fcf-protection",
         "x.c"};
  EXPECT_TRUE(missingRequiredFlags(a).empty());
}

TEST(FlagChecker, HalfOfBoundsIsNotEnough) {
  Args a = withRequired();
  a.insert(a.end() - 1, "-fno-sanitize=local-bounds");
  EXPECT_EQ(missingRequiredFlags(a), Args{"-fsanitize=bounds"});
}

TEST(FlagChecker, WeakerStackProtectorIsMissing) {
  Args a = withRequired({"-fstack-protector"});
  EXPECT_EQ(missingRequiredFlags(a), Args{"-fstack-protector-strong"});
}
