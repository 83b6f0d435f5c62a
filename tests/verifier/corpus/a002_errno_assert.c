// EXPECT: accept
// Near miss: assert and errno expand to allowlisted glibc internals.
#include <assert.h>
#include <errno.h>
#include <unistd.h>

int main(void) {
  assert(getpid() > 0);
  return errno == 0 ? 0 : 1;
}
