// EXPECT: KML-R018
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 7, KML-R018). 'probe == a.end()' calls the program's own
// operator==; the comparison exemption makes a.end() (a raw int* for
// std::array) no iterator value, so it is handed to program code that writes
// through it -> stack-buffer-overflow (one past the end).
#include <array>
#include <cstdio>
struct Probe {
  int seen = 0;
};
// The program's own operator== receives the raw end() pointer of a std::array
bool operator==(Probe &probe, int *p) {
  *p = 0x41414141; // one past the end
  probe.seen = 1;
  return false;
}
int main() {
  std::array<int, 4> a{1, 2, 3, 4};
  Probe probe;
  // EXPECT-NEXT-LINE: KML-R018
  const bool same = probe == a.end();
  std::printf("%d %d %d\n", same, probe.seen, a[0]);
  return 0;
}
