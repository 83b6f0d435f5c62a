// EXPECT: KML-R011
// A view, reference or span into a temporary container dies with it.
#include <span>
#include <string>
#include <string_view>
#include <vector>

std::string make_name() { return "a name long enough to be on the heap"; }
std::vector<int> make_list() { return {1, 2, 3}; }

std::size_t view_of_temporary() {
  // EXPECT-NEXT-LINE: KML-R011
  std::string_view v = make_name();
  return v.size();
}

int element_of_temporary() {
  // EXPECT-NEXT-LINE: KML-R011
  const int &x = make_list()[0];
  return x;
}

std::size_t substring_view() {
  // EXPECT-NEXT-LINE: KML-R011
  std::string_view v = make_name().substr(2);
  return v.size();
}

int span_of_temporary() {
  // EXPECT-NEXT-LINE: KML-R011
  std::span<const int> s = make_list();
  return s[0];
}
