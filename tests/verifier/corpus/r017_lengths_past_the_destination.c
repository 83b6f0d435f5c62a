// EXPECT: KML-R017
// Byte writers given a length the destination does not have. Each writes
// past its object: over the pointer beside a field, past a buffer on the
// stack, with a length only the input decides.
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

// The struct's size, not the field's: reaches name and check.
void reset(struct rec *r) {
  // EXPECT-NEXT-LINE: KML-R017
  memset(&r->count, 0x41, sizeof *r);
}

// read() into a member with the size of the whole struct.
long load(int fd, struct rec *r) {
  // EXPECT-NEXT-LINE: KML-R017
  return read(fd, r->name, sizeof *r);
}

// A length from the caller: nothing bounds it.
void copy_in(const char *src, size_t n) {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  memcpy(buf, src, n);
  (void)buf[0];
}

// A check before the call is not followed: bound the length itself.
int copy_checked(const char *src, size_t n) {
  char buf[16];
  if (n > sizeof buf)
    return -1;
  // EXPECT-NEXT-LINE: KML-R017
  memmove(buf, src, n);
  return buf[0];
}

// A signed comparison lets a negative length through as a huge size_t.
int copy_signed(const char *src, int n) {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  memcpy(buf, src, n < 16 ? n : 16);
  return buf[0];
}

// A bounded local changed after its initialiser is no longer bounded.
int copy_grown(const char *src) {
  char buf[16];
  size_t n = strnlen(src, sizeof buf);
  n += 100;
  // EXPECT-NEXT-LINE: KML-R017
  memcpy(buf, src, n);
  return buf[0];
}

// snprintf's size is a length too.
int format(int v) {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  snprintf(buf, 64, "%d", v);
  return buf[0];
}

// From an element on: only the rest of the array is there.
int tail(int fd) {
  int a[4] = {0};
  // EXPECT-NEXT-LINE: KML-R017
  if (pread(fd, &a[3], 2 * sizeof a[0], 0) < 0)
    return -1;
  return a[3];
}

// A char * is one char as far as anything can tell.
void fill(char *out) {
  // EXPECT-NEXT-LINE: KML-R017
  memset(out, 0, 16);
}

// The compiler's own spellings have no check of their own...
int builtin(const char *src, size_t n) {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  __builtin_memcpy(buf, src, n);
  // ...and a _chk builtin checks against whatever size it is given.
  // EXPECT-NEXT-LINE: KML-R017
  __builtin___memcpy_chk(buf, src, n, (size_t)-1);
  return buf[0];
}

// Through a pointer, the calls cannot be seen.
typedef void *(*copier)(void *, const void *, size_t);
int indirect(const char *src) {
  char buf[4];
  // EXPECT-NEXT-LINE: KML-R017
  copier cp = memcpy;
  cp(buf, src, 64);
  return buf[0];
}

// A size times a count that wraps to a small number is no bound: the
// stream may still deliver 2^63 bytes twice.
size_t load_wrapped(FILE *f) {
  char buf[16];
  // EXPECT-NEXT-LINE: KML-R017
  return fread(buf, (size_t)1 << 63, 2, f);
}
