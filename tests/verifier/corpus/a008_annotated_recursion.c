// EXPECT: accept
// Near miss: recursion with a declared bound (16 x frame stays small).
__attribute__((annotate("kml::recursion_bound(16)"))) int depth(int n) {
  return n > 0 && n < 16 ? 1 + depth(n - 1) : 0;
}

int main(void) { return depth(3); }
