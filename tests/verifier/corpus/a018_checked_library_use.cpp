// EXPECT: accept
// Near misses of KML-R018: whole-range pairs, discarded results, views
// made from whole objects, owners made by make_unique/make_shared.
#include <algorithm>
#include <charconv>
#include <memory>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct Point {
  int x = 0;
  int y = 0;
};

int whole_ranges(std::vector<int> &v, const std::vector<int> &w) {
  std::sort(v.begin(), v.end());
  std::vector<int> copy(w.begin(), w.end());
  copy.assign(v.cbegin(), v.cend());
  int arr[4] = {4, 3, 2, 1};
  std::sort(std::begin(arr), std::end(arr));
  std::reverse(v.rbegin(), v.rend());
  return std::accumulate(copy.begin(), copy.end(), arr[0]);
}

int discarded(std::vector<int> &v) {
  std::ranges::sort(v);
  (void)std::ranges::sort(v);
  return v.empty() ? 0 : v.front();
}

int parse(std::string_view text) {
  int value = 0;
  std::from_chars(text.begin(), text.end(), value);
  return value;
}

std::size_t views(const std::string &s, std::vector<int> &v) {
  const std::string_view whole = s;
  const std::span<int> all(v);
  const std::string_view literal = "literal";
  return whole.size() + all.size() + literal.find('t');
}

int owners() {
  auto p = std::make_unique<Point>();
  p->x = 3;
  std::unique_ptr<Point> q = std::move(p);
  q.reset();
  auto s = std::make_shared<Point>();
  std::shared_ptr<Point> t = s;
  return t->x + (q ? 1 : 0);
}

std::string text(const std::string &a) {
  std::string out = a;
  out.append(a);
  out.append(3, '!');
  return out + std::string(2, '?');
}
