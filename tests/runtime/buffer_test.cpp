#include <cstdint>
#include <utility>

#include "kml/buffer.hpp"
#include "trap.hpp"

namespace {

TEST(Buffer, CreateValueInitialises) {
  auto b = kml::buffer<int>::create(16);
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(b.size(), 16u);
  for (int v : b)
    EXPECT_EQ(v, 0);
  b[15] = 7;
  EXPECT_EQ(b.span()[15], 7);
}

TEST(Buffer, ConstructorAllocatesLikeCreate) {
  kml::buffer<int> b(16);
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(b.size(), 16u);
  EXPECT_EQ(b[15], 0);
  kml::buffer<uint64_t> too_big(SIZE_MAX / 4);
  EXPECT_FALSE(too_big.valid());
}

TEST(Buffer, DefaultIsInvalid) {
  kml::buffer<int> b;
  EXPECT_FALSE(b.valid());
  EXPECT_FALSE(static_cast<bool>(b));
  EXPECT_EQ(b.size(), 0u);
  EXPECT_TRUE(b.span().empty());
}

TEST(Buffer, ZeroElementsIsValid) {
  auto b = kml::buffer<int>::create(0);
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(b.size(), 0u);
}

TEST(Buffer, OverflowingSizeFailsCleanly) {
  auto b = kml::buffer<uint64_t>::create(SIZE_MAX / 4);
  EXPECT_FALSE(b.valid());
}

TEST(Buffer, HugeAllocationFailsCleanly) {
  // Fits in size_t but not in any address space: malloc returns null.
  auto b = kml::buffer<char>::create(SIZE_MAX / 2);
  EXPECT_FALSE(b.valid());
}

TEST(Buffer, MoveTransfersOwnership) {
  auto a = kml::buffer<int>::create(4);
  a[0] = 42;
  kml::buffer<int> b(std::move(a));
  // A moved-from buffer is defined to be invalid: what this checks.
  // NOLINTNEXTLINE(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  EXPECT_FALSE(a.valid());
  EXPECT_EQ(a.size(), 0u);
  ASSERT_TRUE(b.valid());
  EXPECT_EQ(b[0], 42);

  auto c = kml::buffer<int>::create(2);
  c = std::move(b); // frees c's old storage
  // NOLINTNEXTLINE(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  EXPECT_FALSE(b.valid());
  EXPECT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0], 42);

  c = kml::buffer<int>(); // frees, becomes invalid
  EXPECT_FALSE(c.valid());
}

// Counts live objects to prove every element is destroyed exactly once.
struct counted {
  static inline int live = 0;
  counted() noexcept { ++live; }
  ~counted() { --live; }
  counted(const counted &) = delete;
  counted &operator=(const counted &) = delete;
};

TEST(Buffer, ConstructsAndDestroysElements) {
  {
    auto b = kml::buffer<counted>::create(5);
    EXPECT_EQ(counted::live, 5);
    auto moved = std::move(b);
    EXPECT_EQ(counted::live, 5);
  }
  EXPECT_EQ(counted::live, 0);
}

TEST(BufferDeath, OutOfRangeTraps) {
  auto b = kml::buffer<int>::create(3);
  EXPECT_TRAP(b[3] = 1);
  const auto &c = b;
  EXPECT_TRAP((void)c[3]);
  kml::buffer<int> empty;
  EXPECT_TRAP((void)empty[0]);
}

} // namespace
