// EXPECT: accept
// Near misses: references to named objects, results kept by value, a
// temporary bound directly (its lifetime is extended), a range-for over a
// temporary itself.
#include <algorithm>

struct Bag {
  int items[3];
  const int &first() const { return items[0]; }
};

static Bag make() { return Bag{{1, 2, 3}}; }
static int next() { return 7; }

int total(int a, int b) {
  const int &larger = std::max(a, b);
  const int byValue = std::max(next(), a);
  const Bag &kept = make();
  const int &first = kept.first();
  int sum = larger + byValue + first;
  for (int x : make().items)
    sum += x;
  return sum;
}
