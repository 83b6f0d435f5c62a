// EXPECT: KML-R004
// Writing the integer and reading the pointer forges an address.
union word {
  long n;
  int *p;
};

int deref(long n) {
  union word w;
  w.n = n;
  return w.n != 0;
}
