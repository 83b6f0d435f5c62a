// EXPECT: KML-R018 KML-R019
// Iterators that are values: nothing checks where they point.
#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>
#include <vector>

int past_the_end(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R018
  return *(v.begin() + 10);
}

int missing_key(const std::map<int, int> &m, int k) {
  // EXPECT-NEXT-LINE: KML-R018
  return m.find(k)->second;
}

int kept(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R018
  auto it = v.begin();
  // The iterator is also a reference into v (KML-R019).
  // EXPECT-NEXT-LINE: KML-R019
  v.push_back(1);
  return 0;
}

// An output iterator into a container that may be smaller.
void copy_into(const std::vector<int> &src, std::vector<int> &dst) {
  // EXPECT-NEXT-LINE: KML-R018
  std::ranges::copy(src, dst.begin());
}

// Two halves of two different objects.
void mixed(std::vector<int> &a, std::vector<int> &b) {
  // EXPECT-NEXT-LINE: KML-R018 KML-R018
  std::sort(a.begin(), b.end());
}

// Two calls may return two objects: not a whole-range pair.
std::vector<int> make() { return {3, 1, 2}; }
void temporaries() {
  // EXPECT-NEXT-LINE: KML-R018 KML-R018
  std::sort(make().begin(), make().end());
}

// A parameter of iterator type is a value too.
// EXPECT-NEXT-LINE: KML-R018
int first(std::vector<int>::iterator it) { return 0; }

// insert() answers with an iterator beside the bool.
int inserted(std::map<int, int> &m, int k) {
  // EXPECT-NEXT-LINE: KML-R018
  return m.insert({k, 1}).first->second;
}

// string_view's begin() is a raw pointer, an iterator all the same.
char front(std::string_view s) {
  // EXPECT-NEXT-LINE: KML-R018
  const char *p = s.begin();
  return p == nullptr ? 0 : 'x';
}

// Erasing by position: the position may be end().
void erase_found(std::map<int, int> &m, int k) {
  // EXPECT-NEXT-LINE: KML-R018
  m.erase(m.find(k));
}
