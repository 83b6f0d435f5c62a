// EXPECT: accept
// Sorts the library orders: numbers, strings, pairs of them, descending
// with std::greater, by a data member.
#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

struct Item {
  std::string name;
  int rank = 0;
};

int sorts(std::vector<int> &n, std::vector<std::string> &s,
          std::vector<std::pair<int, std::string>> &p,
          std::vector<Item> &items) {
  std::ranges::sort(n);
  std::sort(s.begin(), s.end());
  std::ranges::sort(p, std::greater{});
  std::ranges::sort(items, {}, &Item::rank);
  std::ranges::stable_sort(items, std::ranges::greater{}, &Item::name);
  return n.empty() ? 0 : n[0];
}
