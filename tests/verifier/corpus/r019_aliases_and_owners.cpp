// EXPECT: KML-R019
// Found by review: the same container under another name, statements that
// declare variables outside a block, moves, lambdas, views in a range-for,
// and owners that are not containers. Each was accepted and used freed
// memory under ASan.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

int through_an_alias(std::vector<int> &v) {
  std::vector<int> &alias = v;
  int &first = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  alias.resize(1000);
  return first;
}

void loop_and_alias(std::vector<int> &v) {
  std::vector<int> &alias = v;
  for (int &x : v)
    // EXPECT-NEXT-LINE: KML-R019
    alias.push_back(x);
}

int if_init(std::vector<int> &v) {
  if (int &first = v[0]; first == 1) {
    // EXPECT-NEXT-LINE: KML-R019
    v.resize(1000);
    return first;
  }
  return 0;
}

int assigned_later(std::vector<int> &v) {
  int *p = nullptr;
  // EXPECT-NEXT-LINE: KML-R019
  p = &v[0];
  return p == nullptr ? 0 : 1;
}

int moved_out(std::vector<int> &v) {
  int &first = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  std::vector<int> thief(static_cast<std::vector<int> &&>(v));
  return first + static_cast<int>(thief.size());
}

// The call is followed into the lambda; the finding is its resize.
int through_a_lambda(std::vector<int> &v) {
  // EXPECT-NEXT-LINE: KML-R019
  auto grow = [&v] { v.resize(1000); };
  int &first = v[0];
  grow();
  return first;
}

void view_in_a_loop(std::vector<int> &v) {
  for (int &x : std::span<int>(v))
    if (x == 0)
      // EXPECT-NEXT-LINE: KML-R019
      v.resize(1000);
}

int unique_reset() {
  auto p = std::make_unique<int>(1);
  int &r = *p;
  // EXPECT-NEXT-LINE: KML-R019
  p.reset();
  return r;
}

std::size_t variant_reassigned() {
  std::variant<std::string, int> var = std::string(100, 'x');
  std::string &s = std::get<std::string>(var);
  // EXPECT-NEXT-LINE: KML-R019
  var = 5;
  return s.size();
}

int optional_reset() {
  std::optional<std::vector<int>> o(std::in_place, 100, 1);
  int &r = (*o)[0];
  // EXPECT-NEXT-LINE: KML-R019
  o.reset();
  return r;
}
