// EXPECT: KML-R013
// setjmp/longjmp jump across frames.
#include <setjmp.h>

static jmp_buf env;

int run(int fail) {
  if (setjmp(env))
    return 1;
  if (fail)
    longjmp(env, 1);
  return 0;
}
