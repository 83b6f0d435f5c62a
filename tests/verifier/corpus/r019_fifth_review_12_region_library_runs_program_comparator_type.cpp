// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). m.insert() on
// a local std::map<int,int,Cmp> inside a range-for over the global g calls the
// program's Cmp::operator() (a callable in the *type*, not an argument), which
// reallocates g -> heap-use-after-free. Same for a program hash/equal, or
// std::less<Key> with a program Key's operator<.
#include <cstdio>
#include <map>
#include <vector>
std::vector<int> g{1, 2, 3};
struct Cmp {
  bool operator()(int a, int b) const {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
    return a < b;
  }
};
int main() {
  std::map<int, int, Cmp> m;
  m.insert({1, 1});
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    m.insert({2, 2});
    sum += x;
    break;
  }
  std::printf("%d\n", sum);
  return 0;
}
