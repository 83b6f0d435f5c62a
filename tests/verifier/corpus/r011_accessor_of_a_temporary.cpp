// EXPECT: KML-R011
// An accessor called on a temporary returns part of it; so does a
// range-for over a member of a temporary (C++20 does not extend it).
struct Bag {
  int items[3];
  const int &first() const { return items[0]; }
  const int (&all() const)[3] { return items; }
};

static Bag make() { return Bag{{1, 2, 3}}; }

int total() {
  // EXPECT-NEXT-LINE: KML-R011
  const int &f = make().first();
  int sum = f;
  // EXPECT-NEXT-LINE: KML-R011
  for (int x : make().all())
    sum += x;
  return sum;
}
