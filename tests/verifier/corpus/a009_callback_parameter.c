// EXPECT: accept
// Near miss: passing a named function as a callback.
static int square(int x) { return x * x; }

static int map_sum(int (*f)(int), int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += f(i);
  return s;
}

int main(void) { return map_sum(square, 4) == 14 ? 0 : 1; }
