// EXPECT: accept
// Near miss: member function pointers taken from named members.
struct Counter {
  int n = 0;
  void inc() { ++n; }
  void dec() { --n; }
};

int step(Counter &c, bool up) {
  void (Counter::*op)() = up ? &Counter::inc : &Counter::dec;
  (c.*op)();
  return c.n;
}
