// EXPECT: KML-R008
// A malformed bound is no bound.
__attribute__((annotate("kml::recursion_bound(lots)"))) int walk(int n) {
  return n > 0 ? walk(n - 1) : 0;
}
