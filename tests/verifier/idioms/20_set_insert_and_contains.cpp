// EXPECT: accept
// A set: insert() tells whether the key was new.
#include <set>
int main() {
  std::set<int> seen;
  int duplicates = 0;
  const int input[] = {3, 1, 3, 2, 1};
  for (int x : input)
    if (!seen.insert(x).second)
      ++duplicates;
  return duplicates * 10 + static_cast<int>(seen.size());
}
