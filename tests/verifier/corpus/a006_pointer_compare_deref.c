// EXPECT: accept
// Near miss: comparing and dereferencing pointers is not arithmetic.
int same(const int *a, const int *b) {
  if (a == b || a == 0)
    return 1;
  return *a == *b;
}
