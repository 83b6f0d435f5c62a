// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports it,
// through checkElementToOwnCode). The range-init trim(make()) is a view into a
// temporary std::string destroyed at the end of the range-init full-expression
// (C++20 does not extend it), before the body runs. VisitVarDecl returns early
// for isCXXForRangeDecl() ("the range lives as long as the loop" -- the view
// does, the string it views does not), Clang's -Wdangling does not see through
// trim(), and trim() now reaches only what it is given. ASan:
// heap-use-after-free in the loop.
#include <string>
#include <string_view>
std::string make() { return std::string(100, 'x'); }
std::string_view trim(std::string_view v) { return v.substr(1); }
int main() {
  int s = 0;
  // EXPECT-NEXT-LINE: KML-R019
  for (char c : trim(make()))
    s += c;
  return s;
}
