// EXPECT: accept
// Near miss: returning the value, not the address.
struct pair {
  int a, b;
};

struct pair make(void) {
  struct pair p = {1, 2};
  return p;
}
