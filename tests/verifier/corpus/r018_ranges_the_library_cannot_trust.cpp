// EXPECT: KML-R018 KML-R019
// Found by review: whole-range pairs and ranges the library trusts but
// nothing proves. Each of these was accepted and wrote out of bounds or
// freed twice under ASan.
#include <algorithm>
#include <iterator>
#include <map>
#include <span>
#include <vector>

// A class of the program's own may return anything from begin() and end().
int g_small[2];
int g_other[2];
struct Evil {
  int *begin() { return g_other; }
  int *end() { return g_small; }
};
int span_of_own_range() {
  Evil e;
  // EXPECT-NEXT-LINE: KML-R018
  std::span<int> s(e);
  return s.empty() ? 0 : s[0];
}
void fill_own_range() {
  Evil e;
  // EXPECT-NEXT-LINE: KML-R018 KML-R018 KML-R018
  std::fill(e.begin(), e.end(), 0x41);
}

// erase() works on positions of its own object.
int erase_other(std::vector<int> &v, const std::vector<int> &w) {
  // EXPECT-NEXT-LINE: KML-R018
  v.erase(w.cbegin(), w.cend());
  return v.empty() ? 0 : v[0];
}
void erase_other_map(std::map<int, int> &a, std::map<int, int> &b) {
  // EXPECT-NEXT-LINE: KML-R018
  a.erase(b.cbegin(), b.cend());
}

// assign() of its own range frees what it reads.
void assign_self(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R018
  v.assign(v.cbegin(), v.cend());
}

// Appending to what is being read.
void copy_self(std::vector<int> &v) {
  // The inserter refers into v too (KML-R019).
  // EXPECT-NEXT-LINE: KML-R018 KML-R019
  std::ranges::copy(v, std::back_inserter(v));
}

// A span's data() is past its end when the span is empty.
struct Big {
  char b[64];
};
Big *tail_data(std::vector<Big> &v) {
  std::span<Big> tail = std::span<Big>(v).subspan(v.size());
  // EXPECT-NEXT-LINE: KML-R018
  return tail.data();
}
