// EXPECT: accept
// Near miss: local goto-based error handling is not a non-local jump.
#include <unistd.h>

int copy_once(int in, int out) {
  char buf[64];
  int rc = -1;
  ssize_t n = read(in, buf, sizeof buf);
  if (n < 0)
    goto done;
  if (write(out, buf, (size_t)n) != n)
    goto done;
  rc = 0;
done:
  return rc;
}
