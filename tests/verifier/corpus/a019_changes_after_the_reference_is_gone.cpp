// EXPECT: accept
// Near misses of KML-R019: values copied out, indexes kept, references
// that end before the change, changes to another container, reads only.
#include <map>
#include <string>
#include <vector>

int copy_then_grow(std::vector<int> &v) {
  const int first = v[0];
  v.push_back(1);
  return first;
}

int index_then_grow(std::vector<int> &v) {
  const std::size_t last = v.size() - 1;
  v.push_back(2);
  return v[last];
}

int reference_in_inner_block(std::vector<int> &v) {
  int seen = 0;
  {
    const int &r = v[0];
    seen = r;
  }
  v.push_back(seen);
  return seen;
}

void collect_then_apply(std::vector<int> &v) {
  std::vector<int> extra;
  for (int x : v)
    if (x > 0)
      extra.push_back(-x);
  for (int x : extra)
    v.push_back(x);
}

int read_while_iterating(const std::map<std::string, int> &m) {
  int total = 0;
  for (const auto &[k, value] : m)
    total += value + static_cast<int>(m.count(k));
  return total;
}

void write_elements_while_iterating(std::vector<int> &v) {
  for (int &x : v)
    x *= 2;
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] += 1;
}

int reference_to_the_container_itself(std::vector<int> &v) {
  std::vector<int> &same = v;
  v.push_back(3);
  return static_cast<int>(same.size());
}
