// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 1 in checkStoredViews). names.push_back(s) with s a const local:
// the stored-view check uses containersIn(), which now drops immutable
// containers. Each s dies at the end of its iteration; the views are read
// afterwards -> heap-use-after-free.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>
int main() {
  std::vector<std::string_view> names;
  for (int i = 0; i < 3; ++i) {
    const std::string s(64, static_cast<char>('a' + i));
    // EXPECT-NEXT-LINE: KML-R019
    names.push_back(s);
  }
  for (std::string_view n : names)
    std::printf("%c\n", n[0]);
  return 0;
}
