// EXPECT: accept
// Near miss: sizes from macros, enums and constant expressions are fixed.
#define LEN 32
enum { SLOTS = 4 };

int fill(void) {
  char buf[LEN];
  int s[SLOTS * 2];
  buf[0] = 1;
  s[7] = 2;
  return buf[0] + s[7];
}
