// EXPECT: KML-R013
// dynamic_cast needs RTTI.
struct Base {
  virtual ~Base() = default;
};
struct Derived : Base {
  int v = 3;
};

int value(Base *b) {
  auto *d = dynamic_cast<Derived *>(b);
  return d ? d->v : 0;
}
