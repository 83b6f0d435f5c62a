// EXPECT: accept
// Near miss: lambdas and templates call known code.
template <typename F> int twice(F f, int x) { return f(f(x)); }

int run(int base) {
  auto add = [base](int v) { return v + base; };
  return twice(add, 1);
}
