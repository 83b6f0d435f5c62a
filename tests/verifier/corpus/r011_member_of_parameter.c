// EXPECT: KML-R011
// Stored into a struct reached through a pointer.
struct holder {
  int *p;
};

void fill(struct holder *h) {
  int x = 2;
  h->p = &x;
}
