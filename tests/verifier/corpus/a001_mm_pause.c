// EXPECT: accept
// Near miss: the intrinsic wrapper from <immintrin.h> is allowlisted.
#include <immintrin.h>

void relax(void) {
  _mm_pause();
  _mm_lfence();
}
