// EXPECT: KML-R019
// Found by a second review: the container changed through an enclosing
// object, a pointer, an element container, a callback, a holder that is not
// a reference, or the program's own functions. Each wrote freed memory
// under ASan.
#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

void inner_grows(std::vector<std::vector<int>> &vv) {
  int &x = vv[0][0];
  // EXPECT-NEXT-LINE: KML-R019
  vv[0].push_back(1);
  x = 42;
}

void through_a_pointer(std::vector<int> &v) {
  std::vector<int> *pv = &v;
  int &r = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  pv->push_back(1);
  r = 42;
}

struct S {
  std::vector<int> v;
  void grow() { v.resize(1000); }
};
void enclosing_method(S &s) {
  int &r = s.v[0];
  // EXPECT-NEXT-LINE: KML-R019
  s.grow();
  r = 42;
}
void enclosing_assigned(S &s) {
  int &r = s.v[0];
  // EXPECT-NEXT-LINE: KML-R019
  s = S{};
  r = 42;
}

void callback_changes_it(std::vector<int> &v) {
  std::ranges::for_each(v, [&](int &x) {
    // EXPECT-NEXT-LINE: KML-R019
    v.push_back(x);
    x = 42;
  });
}

struct Holder {
  int &r;
};
void struct_holds_a_reference(std::vector<int> &v) {
  Holder h{v[0]};
  // EXPECT-NEXT-LINE: KML-R019
  v.push_back(1);
  h.r = 42;
}

void tuple_of_references(std::vector<int> &v) {
  auto t = std::tie(v[0]);
  // EXPECT-NEXT-LINE: KML-R019
  v.push_back(1);
  std::get<0>(t) = 42;
}

void lambda_captures_an_element(std::vector<int> &v) {
  auto set = [&r = v[0]](int x) { r = x; };
  // EXPECT-NEXT-LINE: KML-R019
  v.push_back(1);
  set(42);
}

void push_and_write(std::vector<int> &v, int &x) {
  v.push_back(1);
  x = 42;
}
void container_and_element_together(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R019
  push_and_write(v, v[0]);
}

int &first(std::vector<int> &v) { return v[0]; }
void own_accessor(std::vector<int> &v) {
  int &r = first(v);
  // EXPECT-NEXT-LINE: KML-R019
  v.push_back(1);
  r = 42;
}

std::vector<int> g;
void grow_global() { g.resize(1000); }
void global_reached_by_a_call() {
  int &r = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  grow_global();
  r = 42;
}

std::size_t view_stored_elsewhere(std::string &s) {
  std::vector<std::string_view> views;
  // EXPECT-NEXT-LINE: KML-R019
  views.push_back(s);
  s.append(200, 'x');
  return views[0].size();
}
