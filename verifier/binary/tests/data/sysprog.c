/* Static test program for the binary validator: glibc pulls in its raw
 * syscall sites (write, getpid, exit_group, ...) which must all be found. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  char line[64];
  int n = snprintf(line, sizeof line, "pid %d\n", (int)getpid());
  if (write(1, line, (size_t)n) != n)
    return 1;
  return 0;
}
