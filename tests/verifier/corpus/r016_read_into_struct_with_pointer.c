// EXPECT: KML-R016
// read(2) into a struct that holds a pointer: the input chooses the address.
#include <unistd.h>

struct request {
  int length;
  char *reply;
};

int serve(int fd) {
  struct request req = {0, 0};
  // EXPECT-NEXT-LINE: KML-R016
  if (read(fd, &req, sizeof req) != (long)sizeof req)
    return -1;
  return req.reply != 0;
}
