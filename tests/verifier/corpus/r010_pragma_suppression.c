// EXPECT: KML-R010
// Silencing the analysis from the source is itself a finding.
#pragma clang diagnostic ignored "-Wuninitialized"
int f(void) {
  int x;
  return x;
}
