/*
 * wordcount: counts lines, words and bytes of stdin, like `wc`, in C.
 *
 * The C counterpart of the C++ examples: a ring-0 program in the safe subset
 * that touches memory only through the checked views of kml/rt.h. It reads
 * stdin in blocks of --block bytes (default 4096, a heap view from
 * kml_chars_alloc), so the block size decides how many read(2) calls a run
 * makes: the knob to turn when comparing ring 3 and ring 0.
 *
 *   wordcount [--block N]   prints "LINES WORDS BYTES\n"
 */
#include "kml/rt.h"

/* Parses a decimal size in [1, 1 << 20]; 0 when invalid. */
static size_t parse_block(kml_cchars text) {
  size_t value = 0;
  if (text.len == 0 || text.len > 8)
    return 0;
  for (size_t i = 0; i < text.len; i++) {
    char c = kml_cchars_get(text, i);
    if (c < '0' || c > '9')
      return 0;
    value = value * 10 + (size_t)(c - '0');
  }
  return value >= 1 && value <= ((size_t)1 << 20) ? value : 0;
}

/* Appends the decimal form of `value` to out at *at; 0 if it does not fit. */
static int put_number(kml_chars out, size_t *at, uint64_t value) {
  char digits[20] = {0};
  kml_chars d = KML_SPAN_OF(kml_chars, digits);
  size_t n = 0;
  do {
    kml_chars_set(d, n, (char)('0' + value % 10));
    n++;
    value /= 10;
  } while (value != 0);
  if (n > out.len - *at)
    return 0;
  for (size_t i = 0; i < n; i++)
    kml_chars_set(out, *at + i, kml_chars_get(d, n - 1 - i));
  *at += n;
  return 1;
}

static int is_space(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' ||
         c == '\f';
}

int main(int argc, char **argv) {
  size_t block = 4096;
  if (argc == 3 && kml_text_equal(kml_arg(argc, argv, 1), KML_STR("--block"))) {
    block = parse_block(kml_arg(argc, argv, 2));
  } else if (argc != 1) {
    block = 0;
  }
  if (block == 0) {
    (void)kml_write_all(2, KML_STR("usage: wordcount [--block 1..1048576]\n"));
    return 2;
  }
  kml_chars buf = kml_chars_alloc(block);
  if (!kml_chars_valid(buf)) {
    (void)kml_write_all(2, KML_STR("wordcount: out of memory\n"));
    return 1;
  }
  uint64_t lines = 0, words = 0, bytes = 0;
  int in_word = 0;
  for (;;) {
    size_t got = 0;
    int err = kml_read(0, buf, &got);
    if (err != 0) {
      kml_chars_free(&buf);
      (void)kml_write_all(2, KML_STR("wordcount: read error\n"));
      return 1;
    }
    if (got == 0)
      break;
    for (size_t i = 0; i < got; i++) {
      char c = kml_chars_get(buf, i);
      if (c == '\n')
        lines++;
      if (is_space(c)) {
        in_word = 0;
      } else if (!in_word) {
        in_word = 1;
        words++;
      }
    }
    bytes += got;
  }
  kml_chars_free(&buf);

  char line[64] = {0};
  kml_chars out = KML_SPAN_OF(kml_chars, line);
  size_t at = 0;
  int ok = put_number(out, &at, lines);
  kml_chars_set(out, at++, ' ');
  ok = ok && put_number(out, &at, words);
  kml_chars_set(out, at++, ' ');
  ok = ok && put_number(out, &at, bytes);
  kml_chars_set(out, at++, '\n');
  if (!ok)
    return 1;
  return kml_write_all(1, kml_chars_const(kml_chars_sub(out, 0, at))) == 0 ? 0
                                                                           : 1;
}
