// EXPECT: accept
// Near miss: an allowlisted target builtin (pause in a spin loop).
static volatile int flag;

void spin(void) {
  for (int i = 0; i < 100 && !flag; ++i)
    __builtin_ia32_pause();
}
