// EXPECT: KML-R006
// [] on a raw pointer has no bound.
int sum(const int *p, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += p[i];
  return s;
}
