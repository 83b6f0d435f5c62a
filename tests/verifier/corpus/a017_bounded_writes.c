// EXPECT: accept
// Byte writes whose lengths are proved within their destinations.
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct rec {
  int count;
  char name[8];
  int (*check)(int);
};

void reset(struct rec *r) {
  memset(&r->count, 0, sizeof r->count);
  memset(r->name, 0, sizeof r->name);
}

long load(int fd, struct rec *r) { return read(fd, r->name, sizeof r->name); }

int copy_min(const char *src, size_t n) {
  char buf[16];
  memcpy(buf, src, n < sizeof buf ? n : sizeof buf);
  memmove(buf, src, n > sizeof buf ? sizeof buf : n);
  return buf[0];
}

int copy_name(const char *src) {
  char buf[16] = {0};
  size_t n = strnlen(src, sizeof buf - 1);
  memcpy(buf, src, n);
  const size_t m = n;
  memcpy(buf, src, m);
  return buf[0];
}

int masked(const unsigned char *src, unsigned n) {
  unsigned char ring[16];
  memcpy(ring, src, n % sizeof ring);
  memcpy(ring, src, n & 15u);
  return ring[0];
}

int format(int v) {
  char buf[16];
  snprintf(buf, sizeof buf, "%d", v);
  return buf[0];
}

int tail(int fd) {
  int a[4] = {0};
  if (pread(fd, &a[2], 2 * sizeof a[0], 0) < 0)
    return -1;
  return a[3];
}

struct point {
  int x, y;
};

void load_point(struct point *out, const unsigned char *bytes) {
  memcpy(out, bytes, sizeof *out);
}

int whole(const struct point *in) {
  struct point p;
  memcpy(&p, in, sizeof p);
  return p.x;
}
