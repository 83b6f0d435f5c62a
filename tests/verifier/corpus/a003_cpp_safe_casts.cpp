// EXPECT: accept
// Near miss: static_cast on numbers and up-casts are fine.
struct Base {
  int v = 1;
};
struct Derived : Base {
  int w = 2;
};

int sum(Derived &d, double x) {
  Base *b = static_cast<Base *>(&d);
  return b->v + static_cast<int>(x) + d.w;
}
