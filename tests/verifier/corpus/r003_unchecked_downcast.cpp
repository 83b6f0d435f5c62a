// EXPECT: KML-R003
// static_cast down a hierarchy checks nothing: the object may be only the
// base, and the derived type's size is the cast's claim (found by review:
// memset(&d, 'A', sizeof d) wrote 256 bytes past a one-byte base).
struct Base {
  char tag;
};
struct Derived : Base {
  char big[256];
};

int downcast_reference() {
  Base b{};
  // EXPECT-NEXT-LINE: KML-R003
  Derived &d = static_cast<Derived &>(b);
  d.big[200] = 'A';
  return b.tag;
}

int downcast_pointer(Base *b) {
  // EXPECT-NEXT-LINE: KML-R003
  Derived *d = static_cast<Derived *>(b);
  return d->big[0];
}
