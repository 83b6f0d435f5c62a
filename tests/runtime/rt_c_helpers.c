/* Compiled as C: proves rt.h is valid C and gives the C++ test file plain
 * functions to drive. */
#include "kml/rt.h"

int rt_c_sum(void) {
  int raw[4] = {1, 2, 3, 4};
  kml_ints s = KML_SPAN_OF(kml_ints, raw);
  int sum = 0;
  for (size_t i = 0; i < s.len; i++)
    sum += kml_ints_get(s, i);
  kml_ints tail = kml_ints_from(s, 2);
  return sum * 100 + kml_ints_get(tail, 0) * 10 + (int)tail.len;
}

int rt_c_read(size_t index) {
  int raw[4] = {0};
  kml_ints s = KML_SPAN_OF(kml_ints, raw);
  return kml_ints_get(s, index);
}

int rt_c_sub(size_t off, size_t n) {
  char raw[8] = {0};
  kml_chars s = KML_SPAN_OF(kml_chars, raw);
  return (int)kml_chars_sub(s, off, n).len;
}

size_t rt_c_copy(const char *text, size_t len, size_t room, int *truncated) {
  char out[16] = {0};
  kml_chars dst = kml_chars_sub(KML_SPAN_OF(kml_chars, out), 0, room);
  return kml_copy_text(dst, kml_cchars_make(text, len), truncated);
}

size_t rt_c_literal_length(void) { return KML_STR("hello").len; }

int rt_c_text_equal(void) {
  return kml_text_equal(KML_STR("abc"), KML_STR("abc")) * 100 +
         kml_text_equal(KML_STR("abc"), KML_STR("abd")) * 10 +
         kml_text_equal(KML_STR("abc"), KML_STR("ab"));
}

int rt_c_arg_length(int argc, char **argv, int i) {
  return (int)kml_arg(argc, argv, i).len;
}

/* Writes "ab" + "cd" to fd and reads back up to 8 bytes from rfd. */
int rt_c_pipe_round_trip(int wfd, int rfd, size_t *got) {
  int err = kml_write_all(wfd, KML_STR("ab"));
  if (err == 0)
    err = kml_write_all(wfd, kml_cchars_from(KML_STR("xxcd"), 2));
  if (err != 0)
    return err;
  char in[8] = {0};
  return kml_read(rfd, KML_SPAN_OF(kml_chars, in), got);
}

/* Allocates n ints, writes and sums them, frees. -1 if allocation failed. */
long rt_c_alloc_sum(size_t n) {
  kml_ints s = kml_ints_alloc(n);
  if (!kml_ints_valid(s))
    return -1;
  long sum = 0;
  for (size_t i = 0; i < s.len; i++) {
    sum += kml_ints_get(s, i); /* zeroed */
    kml_ints_set(s, i, (int)i);
  }
  for (size_t i = 0; i < s.len; i++)
    sum += kml_ints_get(s, i);
  kml_ints_free(&s);
  return s.data == NULL && s.len == 0 ? sum : -2;
}

/* Reads element n of a fresh n-element allocation: must trap. */
int rt_c_alloc_read_past_end(size_t n) {
  kml_ints s = kml_ints_alloc(n);
  int v = kml_ints_get(s, n);
  kml_ints_free(&s);
  return v;
}
