// EXPECT: accept
// Near miss: allowlisted libc calls.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char buf[32];
  memset(buf, 0, sizeof buf);
  memcpy(buf, "hello", 6);
  printf("%s %zu %d\n", buf, strlen(buf), (int)getpid());
  return 0;
}
