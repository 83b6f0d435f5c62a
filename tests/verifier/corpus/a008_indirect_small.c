// EXPECT: accept
// Near miss: `huge` has the same type as the table's functions but its
// address is never taken, so the indirect call cannot reach it
// (dispatch's 4 KiB + small stays under 8 KiB; huge alone is 6 KiB).
static int small(int x) { return x; }
int huge(int x) {
  volatile char b[6000];
  b[0] = (char)x;
  return b[0];
}
static int (*const table[1])(int) = {&small};

int dispatch(int i) {
  volatile char local[4000];
  local[0] = (char)table[0](i);
  return local[0];
}
