// EXPECT: accept
// Near miss: a virtual tag instead of dynamic_cast.
struct Base {
  virtual ~Base() = default;
  virtual int kind() const { return 0; }
};
struct Derived : Base {
  int kind() const override { return 1; }
};

int is_derived(const Base &b) { return b.kind() == 1; }
