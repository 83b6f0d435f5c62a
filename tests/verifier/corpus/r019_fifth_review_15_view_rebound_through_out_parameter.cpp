// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap and new accept).
// keep(std::string_view &out, std::string_view in) rebinds the caller's view
// inside a function (checkRebinding sees only 'sv = s' written in the caller;
// the parameter 'in' has no initialiser to follow). s dies at the end of the
// iteration; sv[0] reads freed memory.
#include <cstdio>
#include <string>
#include <string_view>
// EXPECT-NEXT-LINE: KML-R019
void keep(std::string_view &out, std::string_view in) { out = in; }
int main() {
  std::string_view sv = "x";
  for (int i = 0; i < 2; ++i) {
    std::string s(100, static_cast<char>('a' + i));
    if (i == 0)
      // EXPECT-NEXT-LINE: KML-R019
      keep(sv, s);
  }
  std::printf("%c\n", sv[0]);
  return 0;
}
