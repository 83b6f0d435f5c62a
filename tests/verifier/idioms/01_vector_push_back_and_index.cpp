// EXPECT: accept
// Grow a vector and read it back by checked index.
#include <vector>
int main() {
  std::vector<int> v;
  for (int i = 0; i < 10; ++i)
    v.push_back(i * i);
  return v[3] + static_cast<int>(v.size());
}
