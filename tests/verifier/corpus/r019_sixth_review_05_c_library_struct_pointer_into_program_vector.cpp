// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too; new3's
// unknownResult would catch it, but the new cLibraryObject exemption lets it
// through). cLibraryObject() says "no container of the program's holds" a C
// library struct, but the program's own std::vector<std::tm> does: first()
// returns &g[0] (reaching a global, so not reachesOnlyWhatItIsGiven), its
// result is exempted from unknownResult because its type is `std::tm *`,
// nothing watches p, and g.push_back reallocates under it. ASan:
// heap-use-after-free at p->tm_year.
#include <ctime>
#include <vector>
std::vector<std::tm> g(1);
std::tm *first() { return &g[0]; }
int main() {
  std::tm *p = first();
  for (int i = 0; i < 100; ++i)
    // EXPECT-NEXT-LINE: KML-R019
    g.push_back(std::tm{});
  p->tm_year = 5;
  return p->tm_year;
}
