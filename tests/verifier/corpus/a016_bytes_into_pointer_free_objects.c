// EXPECT: accept
// Near misses: bytes into objects without pointers, pointers' bytes read
// out through const void *, and typed copies of pointer-holding structs.
#include <string.h>
#include <unistd.h>

struct record {
  int id;
  char name[16];
  unsigned char flags[4];
};

struct link {
  struct record *target;
  int weight;
};

int load(int fd, struct record *out, const unsigned char (*bytes)[24]) {
  int counts[8];
  char line[64];
  memset(counts, 0, sizeof counts);
  memcpy(out, bytes, sizeof *out);
  if (read(fd, line, sizeof line) < 0)
    return -1;
  return counts[0] + line[0];
}

int save(const struct link *l, unsigned char (*out)[sizeof(struct link)]) {
  struct link copy = *l;
  memcpy(out, l, sizeof *l);
  return copy.weight;
}
