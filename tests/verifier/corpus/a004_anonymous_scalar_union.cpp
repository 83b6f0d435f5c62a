// EXPECT: accept
// Near miss: an anonymous union of scalars inside a struct.
struct Number {
  bool is_float;
  union {
    long i;
    double f;
  };
};

double as_double(const Number &n) {
  return n.is_float ? n.f : static_cast<double>(n.i);
}
