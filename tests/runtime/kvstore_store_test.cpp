// The kvstore example's bounded store, built for the host: the capacity
// limit, the key and value limits, replacement and erasure.
#include <gtest/gtest.h>

#include <string>

#include "kvstore/store.hpp"

namespace {

using kvstore::set_outcome;

TEST(KvStore, SetGetReplaceErase) {
  kvstore::store s(8);
  EXPECT_EQ(s.set("a", "1"), set_outcome::inserted);
  EXPECT_EQ(s.set("a", "2"), set_outcome::replaced);
  EXPECT_EQ(s.get("a"), std::optional<std::string>("2"));
  EXPECT_FALSE(s.get("b"));
  EXPECT_TRUE(s.erase("a"));
  EXPECT_FALSE(s.erase("a"));
  EXPECT_FALSE(s.get("a"));
  EXPECT_EQ(s.size(), 0u);
}

TEST(KvStore, KeysAndValuesAtTheLimitFitOneMoreDoesNot) {
  kvstore::store s(4);
  const std::string key(kvstore::max_key, 'k');
  const std::string value(kvstore::max_value, 'v');
  EXPECT_EQ(s.set(key, value), set_outcome::inserted);
  EXPECT_EQ(s.get(key), std::optional<std::string>(value));
  EXPECT_EQ(s.set(key + "k", "v"), set_outcome::too_long);
  EXPECT_EQ(s.set("k", value + "v"), set_outcome::too_long);
  EXPECT_FALSE(s.get(key + "k"));
  EXPECT_EQ(s.size(), 1u);
}

TEST(KvStore, FullStoreRefusesNewKeysButReplacesOldOnes) {
  kvstore::store s(2);
  EXPECT_EQ(s.set("a", "1"), set_outcome::inserted);
  EXPECT_EQ(s.set("b", "2"), set_outcome::inserted);
  EXPECT_EQ(s.set("c", "3"), set_outcome::full);
  EXPECT_EQ(s.set("a", "9"), set_outcome::replaced);
  EXPECT_EQ(s.get("a"), std::optional<std::string>("9"));
  EXPECT_TRUE(s.erase("b"));
  EXPECT_EQ(s.set("c", "3"), set_outcome::inserted); // room again
}

TEST(KvStore, ChurnKeepsExactlyTheLiveEntries) {
  kvstore::store s(64);
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 64; ++i)
      ASSERT_EQ(
          s.set("key" + std::to_string(round * 64 + i), std::to_string(i)),
          set_outcome::inserted);
    for (int i = 0; i < 64; ++i) {
      if (i % 4 != 0) {
        ASSERT_TRUE(s.erase("key" + std::to_string(round * 64 + i)));
      }
    }
    for (int i = 0; i < 64; i += 4)
      EXPECT_EQ(s.get("key" + std::to_string(round * 64 + i)),
                std::optional<std::string>(std::to_string(i)));
    for (int i = 0; i < 64; i += 4)
      ASSERT_TRUE(s.erase("key" + std::to_string(round * 64 + i)));
    ASSERT_EQ(s.size(), 0u);
  }
}

TEST(KvStore, ZeroCapacityStoreRefusesEverything) {
  kvstore::store s(0);
  EXPECT_EQ(s.set("a", "1"), set_outcome::full);
  EXPECT_FALSE(s.get("a"));
  EXPECT_FALSE(s.erase("a"));
}

TEST(KvStore, ChecksumIsFnv1a) {
  EXPECT_EQ(kvstore::fnv1a(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(kvstore::fnv1a("a"), 0xaf63dc4c8601ec8cull);
}

} // namespace
