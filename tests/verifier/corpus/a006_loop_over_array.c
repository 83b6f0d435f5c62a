// EXPECT: accept
// Near miss: a non-constant index on a C array of known size is accepted;
// -fsanitize=bounds -fsanitize-trap=bounds traps an out-of-range index.
#define N 16
static int table[N];

int total(void) {
  int s = 0;
  for (int i = 0; i < N; ++i)
    s += table[i];
  return s;
}
