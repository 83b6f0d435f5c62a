// EXPECT: KML-R008
// Every function of a recursive cycle needs the bound, not just one.
int pong(int n);
__attribute__((annotate("kml::recursion_bound(8)"))) int ping(int n) {
  return n > 0 ? pong(n - 1) : 0;
}
int pong(int n) { return n > 0 ? ping(n - 1) : 1; }
