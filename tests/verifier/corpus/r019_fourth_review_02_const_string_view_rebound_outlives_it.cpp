// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 1 in checkRebinding). 'sv = s' with s a const local is no longer
// a rebinding (IntoContainer::add drops immutable containers); s dies at the
// end of the loop iteration, sv is read afterwards -> heap-use-after-free. R011
// does not see views.
#include <cstdio>
#include <string>
#include <string_view>
int main() {
  std::string_view sv;
  for (int i = 0; i < 2; ++i) {
    const std::string s(100, static_cast<char>('a' + i));
    if (i == 0)
      // EXPECT-NEXT-LINE: KML-R019
      sv = s;
  }
  std::printf("%c\n", sv[0]);
  return 0;
}
