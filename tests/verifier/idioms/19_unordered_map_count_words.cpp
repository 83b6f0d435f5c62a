// EXPECT: accept
// Count words with an unordered_map.
#include <string>
#include <unordered_map>
int main() {
  std::unordered_map<std::string, int> counts;
  const char *const words[] = {"a", "b", "a"};
  for (const char *w : words)
    ++counts[w];
  return counts["a"] * 10 + static_cast<int>(counts.count("c"));
}
