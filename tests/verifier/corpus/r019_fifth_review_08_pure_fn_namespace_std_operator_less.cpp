// EXPECT: KML-R019
// Found by the fifth review (a hole in the relaxations) (relaxation 5,
// BodyScan/involvesProgramType). order() calls std::sort on pair<int,int> only
// (no program type), so it is 'pure'; but the program defined operator< for
// std::pair in namespace std, which std::sort calls (a non-template beats std's
// template) and which reallocates g during the range-for ->
// heap-use-after-free. snap rejects (calling order).
#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>
std::vector<int> g{1, 2, 3};
namespace std {
// EXPECT-NEXT-LINE: KML-R019
bool operator<(const pair<int, int> &a, const pair<int, int> &b) {
  for (int i = 0; i < 100; ++i)
    g.push_back(i);
  return a.first < b.first;
}
} // namespace std
int order() {
  std::vector<std::pair<int, int>> v{{2, 0}, {1, 0}};
  std::sort(v.begin(), v.end());
  return v[0].first;
}
int main() {
  int sum = 0;
  for (int &x : g) {
    sum += order();
    sum += x;
    break;
  }
  std::printf("%d\n", sum);
  return 0;
}
