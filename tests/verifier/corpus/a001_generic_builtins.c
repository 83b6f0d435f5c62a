// EXPECT: accept
// Near miss: generic builtins compute values; they are not target builtins.
int bits(unsigned v) {
  if (__builtin_expect(v == 0, 0))
    return 0;
  return __builtin_popcount(v) + __builtin_ctz(v);
}
