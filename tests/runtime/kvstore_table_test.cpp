// The kvstore example's hash table, built for the host: probing,
// tombstones, the capacity limit and rebuilds, checked against plain facts.
#include "kvstore/table.hpp"
#include "trap.hpp"

namespace {

using kml::string_view;
using kvstore::set_outcome;

kvstore::key_text key(uint64_t n) {
  kvstore::key_text k("key");
  k.append_u64(n);
  return k;
}

TEST(KvTable, SlotsArePowerOfTwoAtLeastTwiceCapacity) {
  kvstore::table t(100);
  ASSERT_TRUE(t.valid());
  EXPECT_EQ(t.slot_count(), 256u);
  kvstore::table one(1);
  EXPECT_EQ(one.slot_count(), 2u);
  kvstore::table none(0);
  EXPECT_FALSE(none.valid());
}

TEST(KvTable, SetGetReplaceErase) {
  kvstore::table t(8);
  EXPECT_EQ(t.set("a", "1"), set_outcome::inserted);
  EXPECT_EQ(t.set("a", "2"), set_outcome::replaced);
  auto found = t.get("a");
  ASSERT_TRUE(found.found);
  EXPECT_TRUE(found.value == string_view("2"));
  EXPECT_FALSE(t.get("b").found);
  EXPECT_TRUE(t.erase("a"));
  EXPECT_FALSE(t.erase("a"));
  EXPECT_FALSE(t.get("a").found);
  EXPECT_EQ(t.size(), 0u);
}

TEST(KvTable, LimitsAreEnforced) {
  kvstore::table t(2);
  kml::array<char, 40> long_key{};
  long_key.fill('k');
  kml::array<char, 100> long_value{};
  long_value.fill('v');
  EXPECT_EQ(t.set(string_view(long_key.span()), "v"), set_outcome::too_long);
  EXPECT_EQ(t.set("k", string_view(long_value.span())), set_outcome::too_long);
  EXPECT_FALSE(t.get(string_view(long_key.span())).found);
  EXPECT_EQ(t.set("a", "1"), set_outcome::inserted);
  EXPECT_EQ(t.set("b", "2"), set_outcome::inserted);
  EXPECT_EQ(t.set("c", "3"), set_outcome::full);
  EXPECT_EQ(t.set("a", "9"), set_outcome::replaced); // replacing still works
}

TEST(KvTable, ChurnRebuildsAndKeepsEntries) {
  kvstore::table t(64); // 128 slots; a rebuild after 33 tombstones
  for (uint64_t round = 0; round < 50; ++round) {
    for (uint64_t i = 0; i < 64; ++i)
      ASSERT_NE(t.set(key(round * 64 + i), key(i)), set_outcome::full);
    // Keep every 4th key of this round, delete the rest.
    for (uint64_t i = 0; i < 64; ++i) {
      if (i % 4 != 0) {
        ASSERT_TRUE(t.erase(key(round * 64 + i)));
      }
    }
    for (uint64_t i = 0; i < 64; i += 4) {
      auto found = t.get(key(round * 64 + i));
      ASSERT_TRUE(found.found);
      EXPECT_TRUE(found.value == key(i).view());
    }
    // Then drop the survivors too, so the next round has room.
    for (uint64_t i = 0; i < 64; i += 4)
      ASSERT_TRUE(t.erase(key(round * 64 + i)));
    ASSERT_EQ(t.size(), 0u);
  }
  EXPECT_GT(t.rebuilds(), 0u);
}

TEST(KvTable, ZeroCapacityTableRefusesEverything) {
  kvstore::table t(0);
  EXPECT_EQ(t.set("a", "1"), set_outcome::full);
  EXPECT_FALSE(t.get("a").found);
  EXPECT_FALSE(t.erase("a"));
}

} // namespace
