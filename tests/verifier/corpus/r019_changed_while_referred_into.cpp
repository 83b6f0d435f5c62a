// EXPECT: KML-R019
// A reference, pointer, view or loop into a container, then a change that
// may move or free its elements.
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

int grow_under_reference(std::vector<int> &v) {
  const int &first = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  v.push_back(1);
  return first;
}

int grow_under_pointer(std::vector<int> &v) {
  int *p = &v.back();
  // EXPECT-NEXT-LINE: KML-R019
  v.resize(1000);
  return *p;
}

std::size_t view_then_append(std::string &s) {
  const std::string_view view = s;
  // EXPECT-NEXT-LINE: KML-R019
  s += "a longer tail that reallocates the string's storage";
  return view.size();
}

int span_then_clear(std::vector<int> &v) {
  std::span<int> all(v);
  // EXPECT-NEXT-LINE: KML-R019
  v.clear();
  return all.empty() ? 0 : all[0];
}

void append_while_iterating(std::vector<int> &v) {
  for (int x : v)
    if (x > 0)
      // EXPECT-NEXT-LINE: KML-R019
      v.push_back(-x);
}

void erase_while_iterating(std::map<int, int> &m) {
  for (const auto &[k, value] : m)
    if (value == 0)
      // EXPECT-NEXT-LINE: KML-R019
      m.erase(k);
}

void insert_while_iterating(std::unordered_map<int, int> &m) {
  for (const auto &entry : m)
    // EXPECT-NEXT-LINE: KML-R019
    m[entry.first + 1000] = 1;
}

void shrink(std::vector<int> &v) { v.clear(); }

void helper_changes_it(std::vector<int> &v) {
  for (int x : v)
    if (x == 0)
      // EXPECT-NEXT-LINE: KML-R019
      shrink(v);
}

struct Registry {
  std::vector<std::string> names;
  const std::string &first() const { return names[0]; }
  void add_copy_of_each() {
    for (const std::string &n : names)
      // EXPECT-NEXT-LINE: KML-R019
      names.push_back(n);
  }
};

std::size_t looked_up(std::map<int, std::string> &m) {
  const std::string &name = m.at(1);
  // EXPECT-NEXT-LINE: KML-R019
  m.erase(1);
  return name.size();
}
