// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). As 29 with
// std::string_view(make()).substr(1): the __range variable is exempted from
// VisitVarDecl's temporary check, R011 does not fire through substr(). ASan:
// heap-use-after-free in the loop.
#include <string>
#include <string_view>
std::string make() { return std::string(100, 'x'); }
std::string_view trim(std::string_view v) { return v.substr(1); }
int main() {
  int s = 0;
  // EXPECT-NEXT-LINE: KML-R019
  for (char c : std::string_view(make()).substr(1))
    s += c;
  return s;
}
