#include "core/StackGraph.hpp"

#include <gtest/gtest.h>

using namespace kml::verify;

namespace {
StackFunction fn(std::string name, std::uint64_t frame,
                 std::optional<std::uint64_t> bound = std::nullopt) {
  StackFunction f;
  f.displayName = std::move(name);
  f.frame = frame;
  f.defined = true;
  f.application = true;
  f.recursionBound = bound;
  return f;
}
} // namespace

TEST(StackGraph, ChainAddsSiblingsTakeMax) {
  StackGraph g(1000);
  g.addFunction("main", fn("main", 100));
  g.addFunction("a", fn("a", 50));
  g.addFunction("b", fn("b", 300));
  g.addFunction("c", fn("c", 10));
  g.addCall("main", "a");
  g.addCall("main", "b");
  g.addCall("b", "c");
  StackPath p = g.worstCase("main");
  EXPECT_EQ(p.bytes, 410u);
  EXPECT_EQ(p.names, (std::vector<std::string>{"main", "b", "c"}));
  EXPECT_EQ(g.roots(), std::vector<std::string>{"main"});
}

TEST(StackGraph, ExternalCallsCostTheBudget) {
  StackGraph g(1024);
  g.addFunction("main", fn("main", 64));
  g.addCall("main", "printf");
  EXPECT_EQ(g.worstCase("main").bytes, 64u + 1024u);
}

TEST(StackGraph, UnannotatedRecursionIsReported) {
  StackGraph g(0);
  g.addFunction("f", fn("f", 32));
  g.addFunction("g", fn("g", 16, 4));
  g.addCall("f", "g");
  g.addCall("g", "f");
  EXPECT_EQ(g.unboundedRecursion(), std::vector<std::string>{"f"});
}

TEST(StackGraph, AnnotatedRecursionCostsBoundTimesFrame) {
  StackGraph g(0);
  g.addFunction("main", fn("main", 100));
  g.addFunction("walk", fn("walk", 48, 10));
  g.addCall("main", "walk");
  g.addCall("walk", "walk");
  EXPECT_TRUE(g.unboundedRecursion().empty());
  EXPECT_EQ(g.worstCase("main").bytes, 100u + 480u);
}

TEST(StackGraph, DynamicFrameMakesPathUnbounded) {
  StackGraph g(0);
  g.addFunction("main", fn("main", 16));
  StackFunction v = fn("vla", 16);
  v.dynamicFrame = true;
  g.addFunction("vla", v);
  g.addCall("main", "vla");
  EXPECT_TRUE(g.worstCase("main").unbounded);
}

TEST(StackGraph, MergingKeepsLargestFrame) {
  StackGraph g(0);
  g.addFunction("inl", fn("inl", 16));
  g.addFunction("inl", fn("inl", 64));
  EXPECT_EQ(g.functions().at("inl").frame, 64u);
}

TEST(StackGraph, DeepChainDoesNotOverflow) {
  StackGraph g(0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    g.addFunction("f" + std::to_string(i), fn("f", 1));
    if (i)
      g.addCall("f" + std::to_string(i - 1), "f" + std::to_string(i));
  }
  EXPECT_EQ(g.worstCase("f0").bytes, static_cast<std::uint64_t>(n));
}
