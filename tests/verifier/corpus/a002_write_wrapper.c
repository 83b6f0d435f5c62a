// EXPECT: accept
// Near miss: the libc write() wrapper, not a raw syscall.
#include <unistd.h>

int main(void) {
  static const char msg[] = "hello\n";
  return write(1, msg, sizeof msg - 1) < 0;
}
