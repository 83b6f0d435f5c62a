// EXPECT: accept
// The admitted standard library (docs/rules/allowlist.md) in one program:
// containers, views, vocabulary types, algorithms over whole ranges.
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct Entry {
  std::string name;
  int count = 0;
};

static std::optional<int> find_count(const std::map<std::string, int> &m,
                                     std::string_view key) {
  const std::string k(key);
  if (!m.contains(k))
    return std::nullopt;
  return m.at(k);
}

int main() {
  std::vector<Entry> entries;
  entries.push_back({"b", 2});
  entries.push_back({"a", 1});
  std::ranges::sort(entries, {}, &Entry::name);
  std::map<std::string, int> counts;
  for (const Entry &e : entries)
    counts[e.name] += e.count;
  std::array<int, 3> fixed{};
  fixed.at(1) = find_count(counts, "a").value_or(0);
  auto owner = std::make_unique<Entry>(Entry{"c", 3});
  return fixed[1] + owner->count + static_cast<int>(entries.size());
}
