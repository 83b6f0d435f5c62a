// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept). The span views
// a temporary vector that dies at the end of the full-expression; .subspan(1)
// hides it from clang's -Wdangling-gsl (R011). R019 finds the temporary (and,
// since relaxation 2, calls it own-local) but never refuses a view outliving
// it. Same: std::string_view sv = std::string_view(std::string(100,
// 'a')).substr(1);
#include <cstdio>
#include <span>
#include <vector>
std::vector<int> make() { return std::vector<int>(100, 7); }
int main() {
  // EXPECT-NEXT-LINE: KML-R019
  std::span<const int> s = std::span<const int>(make()).subspan(1);
  std::printf("%d\n", s[0]);
  return 0;
}
