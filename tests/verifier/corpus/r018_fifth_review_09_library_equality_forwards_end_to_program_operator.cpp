// EXPECT: KML-R018
// Found by the fifth review (a hole in the relaxations) (relaxation 7,
// KML-R018). 'probe == a.end()' with probe a std::optional<Probe>: the outer
// operator== is the library's (optional's), so both operands are exempt as
// iterator values; but optional's operator==(const optional<T>&, const U&)
// calls '*probe == a.end()', the program's own operator==(const Probe&, int*),
// which writes one past the end -> stack-buffer-overflow. Same as
// fourth_review_30, one library call removed. snap rejects (KML-R018).
#include <array>
#include <cstdio>
#include <optional>
struct Probe {
  int seen = 0;
};
// The program's own operator== receives the raw end() pointer of a std::array
bool operator==(const Probe &, int *p) {
  *p = 0x41414141; // one past the end
  return false;
}
int main() {
  std::array<int, 4> a{1, 2, 3, 4};
  std::optional<Probe> probe = Probe{};
  // EXPECT-NEXT-LINE: KML-R018
  const bool same = probe == a.end();
  std::printf("%d %d\n", same, a[0]);
  return 0;
}
