// EXPECT: KML-R018
// Found by review: libstdc++'s sort trusts its order to be a strict weak
// ordering; `return true;`, `a <= b` or a counting comparator walk its
// unguarded loops out of the buffer (ASan: a write before the vector).
#include <algorithm>
#include <vector>

void always_true(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R018
  std::sort(v.begin(), v.end(), [](int, int) { return true; });
}

void less_or_equal(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R018
  std::ranges::sort(v, [](int a, int b) { return a <= b; });
}

struct Item {
  int key;
  bool operator<(const Item &) const { return true; }
};

// The element's own operator< is the program's too.
void own_operator(std::vector<Item> &v) {
  // EXPECT-NEXT-LINE: KML-R018
  std::sort(v.begin(), v.end());
}
