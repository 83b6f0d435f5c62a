// EXPECT: accept
// Near miss: range-for over a C array (the iterator is the compiler's).
int sum() {
  int a[5] = {1, 2, 3, 4, 5};
  int s = 0;
  for (int v : a)
    s += v;
  return s;
}
