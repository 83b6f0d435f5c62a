// EXPECT: accept
// Near miss: noexcept and static_assert are compile-time only.
constexpr int twice(int x) noexcept { return 2 * x; }
static_assert(twice(2) == 4, "arithmetic");

int run() noexcept { return twice(3); }
