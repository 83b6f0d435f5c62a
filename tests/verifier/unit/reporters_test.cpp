#include "core/Reporters.hpp"
#include "core/RuleTable.hpp"

#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>

#include <sstream>

using namespace kml::verify;

namespace {
Finding sample() {
  Finding f;
  f.ruleId = "KML-R006";
  f.file = "app.c";
  f.line = 3;
  f.column = 10;
  f.length = 4;
  f.message = "[] on raw pointer 'p' has no bounds check";
  f.sourceLine = "  return p[i];";
  f.suggestion = "use kml::span<T>";
  return f;
}
} // namespace

TEST(TextReporter, ClangTidyShape) {
  std::ostringstream os;
  writeText(os, {sample()});
  EXPECT_EQ(os.str(), "app.c:3:10: error: [] on raw pointer 'p' has no bounds "
                      "check [KML-R006]\n"
                      "  return p[i];\n"
                      "         ^~~~\n"
                      "note: use kml::span<T>\n");
}

TEST(TextReporter, FixItIsShownAsANote) {
  Finding f = sample();
  f.fixIt = FixIt{2, 8, 0, " = 0"};
  std::ostringstream os;
  writeText(os, {f});
  EXPECT_NE(os.str().find("app.c:2:8: note: fix-it: insert ' = 0'\n"),
            std::string::npos)
      << os.str();
  f.fixIt = FixIt{3, 10, 4, "s[i]"};
  std::ostringstream os2;
  writeText(os2, {f});
  EXPECT_NE(os2.str().find("note: fix-it: replace 4 characters with 's[i]'"),
            std::string::npos)
      << os2.str();
}

TEST(TextReporter, BinaryFindingsUseAddresses) {
  Finding f;
  f.ruleId = "KML-B001";
  f.file = "app.elf";
  f.address = 0x401000;
  f.symbol = "main";
  f.message = "privileged instruction";
  std::ostringstream os;
  writeText(os, {f});
  EXPECT_EQ(
      os.str(),
      "app.elf:0x401000 <main>: error: privileged instruction [KML-B001]\n");
}

TEST(Sarif, ValidLogWithRuleMetadata) {
  Finding bin;
  bin.ruleId = "KML-B002";
  bin.file = "app.elf";
  bin.address = 16;
  bin.symbol = "f";
  bin.message = "syscall left unrewritten";
  auto parsed = llvm::json::parse(sarifLog({sample(), bin}));
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const auto *root = parsed->getAsObject();
  EXPECT_EQ(root->getString("version"), "2.1.0");
  EXPECT_TRUE(root->getString("$schema").has_value());
  const auto *runs = root->getArray("runs");
  ASSERT_NE(runs, nullptr);
  ASSERT_EQ(runs->size(), 1u);
  const auto *run = (*runs)[0].getAsObject();
  const auto *driver = run->getObject("tool")->getObject("driver");
  EXPECT_EQ(driver->getString("name"), "kml-verify");
  const auto *rules = driver->getArray("rules");
  ASSERT_EQ(rules->size(), ruleTable().size() + 1); // + the binary rule
  EXPECT_EQ((*rules)[5].getAsObject()->getString("id"), "KML-R006");
  EXPECT_TRUE((*rules)[5].getAsObject()->getObject("fullDescription"));
  const auto *invocations = run->getArray("invocations");
  ASSERT_NE(invocations, nullptr);
  EXPECT_EQ((*invocations)[0].getAsObject()->getBoolean("executionSuccessful"),
            true);
  const auto *results = run->getArray("results");
  ASSERT_EQ(results->size(), 2u);
  const auto *r0 = (*results)[0].getAsObject();
  EXPECT_EQ(r0->getString("ruleId"), "KML-R006");
  EXPECT_EQ(r0->getInteger("ruleIndex"), 5);
  EXPECT_EQ(r0->getString("level"), "error");
  const auto *loc = (*r0->getArray("locations"))[0].getAsObject();
  const auto *region = loc->getObject("physicalLocation")->getObject("region");
  EXPECT_EQ(region->getInteger("startLine"), 3);
  EXPECT_EQ(region->getInteger("startColumn"), 10);
  const auto *r1 = (*results)[1].getAsObject();
  EXPECT_EQ(r1->getInteger("ruleIndex"),
            static_cast<std::int64_t>(ruleTable().size())); // the binary rule
  const auto *addr = (*r1->getArray("locations"))[0]
                         .getAsObject()
                         ->getObject("physicalLocation")
                         ->getObject("address");
  ASSERT_NE(addr, nullptr);
  EXPECT_EQ(addr->getInteger("absoluteAddress"), 16);
}

TEST(Sarif, EmptyRunStillListsRules) {
  auto parsed = llvm::json::parse(sarifLog({}));
  ASSERT_TRUE(bool(parsed));
  const auto *run = (*parsed->getAsObject()->getArray("runs"))[0].getAsObject();
  EXPECT_EQ(run->getArray("results")->size(), 0u);
  EXPECT_EQ(
      run->getObject("tool")->getObject("driver")->getArray("rules")->size(),
      ruleTable().size());
}
