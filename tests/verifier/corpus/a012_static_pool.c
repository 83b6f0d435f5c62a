// EXPECT: accept
// Near miss: a static pool with an index, no heap at all.
#define SLOTS 8
static int pool[SLOTS];
static int used;

int take(void) {
  if (used >= SLOTS)
    return -1;
  pool[used] = 0;
  return used++;
}
