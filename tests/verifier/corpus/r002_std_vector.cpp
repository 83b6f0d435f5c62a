// EXPECT: KML-R002
// The C++ standard containers allocate and throw: not allowlisted.
#include <vector>

int total() {
  std::vector<int> v;
  v.push_back(1);
  return static_cast<int>(v.size());
}
