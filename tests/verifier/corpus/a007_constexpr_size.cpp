// EXPECT: accept
// Near miss: a constexpr size is a constant.
constexpr int kSize = 64;

int first() {
  int a[kSize] = {};
  return a[0];
}
