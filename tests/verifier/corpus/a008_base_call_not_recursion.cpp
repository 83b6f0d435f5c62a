// EXPECT: accept
// Near miss: an overrider calling its base explicitly (Base::f) is not
// recursion, even though virtual calls of f reach the overrider.
struct Base {
  virtual ~Base() = default;
  virtual int f(int x) { return x + 1; }
};
struct Derived : Base {
  int f(int x) override { return Base::f(x) * 2; }
};

int use(Base &b) { return b.f(3); }

int main() {
  Derived d;
  return use(d) == 8 ? 0 : 1;
}
