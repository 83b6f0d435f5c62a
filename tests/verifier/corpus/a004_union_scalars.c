// EXPECT: accept
// Near miss: a union of plain data only.
union number {
  long n;
  double d;
  unsigned char bytes[8];
};

int is_zero(double d) {
  union number u;
  u.d = d;
  return u.n == 0;
}
