/*
 * kml runtime for C programs in the ring-0 safe subset.
 *
 * C has no templates, so bounds-checked views are generated per element
 * type with KML_SPAN_DEFINE(name, T): a struct { T *data; size_t len; } plus
 * static inline accessors that trap (ud2, delivered as SIGILL) on a bad
 * index. Application code indexes only through these accessors; raw `[]`
 * and pointer arithmetic are rejected by the verifier (rule R006).
 *
 * Predefined views: kml_chars (char), kml_cchars (const char), kml_bytes
 * (unsigned char), kml_ints (int). Also: KML_STR("literal") as a kml_cchars,
 * kml_arg() for argv, kml_read()/kml_write_all() over views.
 *
 * Unsafe operations in this file: `s.data + i` and `s.data + off`, each
 * after a kml_check that keeps the index inside [0, s.len); argv[i] and the
 * walk to each argument's NUL in kml_arg (guaranteed by C for i < argc);
 * passing a view's data/len to read(2)/write(2).
 */
#ifndef KML_RT_H
#define KML_RT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stops the program when `cond` is false. */
#define kml_check(cond)                                                        \
  do {                                                                         \
    if (!(cond))                                                               \
      __builtin_trap();                                                        \
  } while (0)

/* Overflow-checked size arithmetic: 0 on overflow (*out untouched). */
static inline int kml_add_size(size_t a, size_t b, size_t *out) {
  size_t r;
  if (__builtin_add_overflow(a, b, &r))
    return 0;
  *out = r;
  return 1;
}
static inline int kml_mul_size(size_t a, size_t b, size_t *out) {
  size_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return 0;
  *out = r;
  return 1;
}

/*
 * Defines the view type `name` over elements of type T and its accessors:
 *   name name##_make(T *data, size_t len)  runtime-internal (unchecked)
 *   T    name##_get(name s, size_t i)      s.data[i], traps when i >= len
 *   void name##_set(name s, size_t i, T v)
 *   T   *name##_at(name s, size_t i)       address of element i, checked
 *   name name##_sub(name s, size_t off, size_t n)  elements [off, off+n)
 *   name name##_from(name s, size_t off)   elements [off, len)
 *   int  name##_valid(name s)              s has storage (data != NULL)
 */
#define KML_SPAN_DEFINE(name, T) KML_SPAN_DEFINE_(name, T, T)
/* The same over `const T` (no _set); _get returns a plain T. */
#define KML_SPAN_DEFINE_CONST(name, T) KML_SPAN_DEFINE_(name, const T, T)

/* T names a type, which parentheses would break. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define KML_SPAN_DEFINE_(name, T, V)                                           \
  typedef struct name {                                                        \
    T *data;                                                                   \
    size_t len;                                                                \
  } name;                                                                      \
  static inline name name##_make(T *data, size_t len) {                        \
    name s = {data, len};                                                      \
    return s;                                                                  \
  }                                                                            \
  static inline T *name##_at(name s, size_t i) {                               \
    kml_check(i < s.len);                                                      \
    return s.data + i; /* in bounds: checked above */                          \
  }                                                                            \
  static inline V name##_get(name s, size_t i) { return *name##_at(s, i); }    \
  /* True when s has storage (a failed name##_alloc gives {NULL, 0}). */       \
  static inline int name##_valid(name s) { return s.data != NULL; }            \
  static inline name name##_sub(name s, size_t off, size_t n) {                \
    kml_check(off <= s.len && n <= s.len - off);                               \
    return name##_make(s.data + off, n); /* in bounds: checked above */        \
  }                                                                            \
  static inline name name##_from(name s, size_t off) {                         \
    kml_check(off <= s.len);                                                   \
    return name##_make(s.data + off, s.len - off); /* checked above */         \
  }
/* NOLINTEND(bugprone-macro-parentheses) */

/*
 * A setter and owned heap storage make no sense for const element types,
 * so they are separate:
 *   void name##_set(name s, size_t i, T v)
 *   name name##_alloc(size_t n)   n zeroed elements; {NULL, 0} on failure
 *                                 (check .data), also when n * sizeof(T)
 *                                 overflows. n == 0 gives a valid view.
 *   void name##_free(name *s)     frees what _alloc returned, empties *s
 * Application C code cannot call malloc/free (rule R012); these pair them.
 */
/* T names a type, which parentheses would break. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define KML_SPAN_DEFINE_SET(name, T)                                           \
  static inline void name##_set(name s, size_t i, T v) {                       \
    *name##_at(s, i) = v;                                                      \
  }                                                                            \
  static inline name name##_alloc(size_t n) {                                  \
    size_t bytes;                                                              \
    if (!kml_mul_size(n, sizeof(T), &bytes))                                   \
      return name##_make(NULL, 0);                                             \
    /* calloc zeroes; at least 1 byte so that NULL always means failure */     \
    T *data = (T *)calloc(bytes ? n : 1, bytes ? sizeof(T) : 1);               \
    return name##_make(data, data ? n : 0);                                    \
  }                                                                            \
  static inline void name##_free(name *s) {                                    \
    free(s->data); /* the pointer _alloc returned, or NULL */                  \
    s->data = NULL;                                                            \
    s->len = 0;                                                                \
  }
/* NOLINTEND(bugprone-macro-parentheses) */

/*
 * A view of a whole C array, its length taken from the array type. Refuses
 * (at compile time) to take a pointer, whose sizeof would give a wrong length.
 */
#define KML_SPAN_OF(name, arr)                                                 \
  name##_make(                                                                 \
      (arr),                                                                   \
      sizeof(arr) / sizeof((arr)[0]) +                                         \
          0 * sizeof(                                                          \
                  char[1 - 2 * __builtin_types_compatible_p(                   \
                                   __typeof__(arr), __typeof__(&(arr)[0]))]))

KML_SPAN_DEFINE(kml_chars, char)
KML_SPAN_DEFINE_SET(kml_chars, char)
KML_SPAN_DEFINE_CONST(kml_cchars, char)
KML_SPAN_DEFINE(kml_bytes, unsigned char)
KML_SPAN_DEFINE_SET(kml_bytes, unsigned char)
KML_SPAN_DEFINE(kml_ints, int)
KML_SPAN_DEFINE_SET(kml_ints, int)

/*
 * A string literal as a view, without its NUL. Refuses (at compile time) a
 * pointer, whose sizeof would not be the literal's length.
 */
#define KML_STR(lit)                                                           \
  kml_cchars_make(                                                             \
      (lit),                                                                   \
      sizeof(lit) - 1 +                                                        \
          0 * sizeof(                                                          \
                  char[1 - 2 * __builtin_types_compatible_p(                   \
                                   __typeof__(lit), __typeof__(&(lit)[0]))]))

/* A read-only view of a writable char view. */
static inline kml_cchars kml_chars_const(kml_chars s) {
  return kml_cchars_make(s.data, s.len);
}

/* 1 when a and b hold the same characters. */
static inline int kml_text_equal(kml_cchars a, kml_cchars b) {
  if (a.len != b.len)
    return 0;
  for (size_t i = 0; i < a.len; i++)
    if (kml_cchars_get(a, i) != kml_cchars_get(b, i))
      return 0;
  return 1;
}

/*
 * Copies as much of `src` as fits into `dst` followed by a NUL (so dst must
 * hold at least one char). Returns the number of chars copied, without the
 * NUL; *truncated says whether src was cut.
 */
static inline size_t kml_copy_text(kml_chars dst, kml_cchars src,
                                   int *truncated) {
  kml_check(dst.len >= 1);
  size_t room = dst.len - 1;
  size_t n = src.len < room ? src.len : room;
  for (size_t i = 0; i < n; i++)
    kml_chars_set(dst, i, kml_cchars_get(src, i));
  kml_chars_set(dst, n, '\0');
  if (truncated)
    *truncated = n < src.len;
  return n;
}

/* Argument i of main's argv as a view; traps unless 0 <= i < argc. */
static inline kml_cchars kml_arg(int argc, char **argv, int i) {
  kml_check(argv != NULL && i >= 0 && i < argc);
  const char *text = argv[i]; /* i < argc: a valid argument */
  size_t len = 0;
  while (text[len] != '\0') /* a C string: stops at its terminator */
    len++;
  return kml_cchars_make(text, len);
}

/*
 * Reads at most buf.len bytes into buf, retrying EINTR. Returns 0 and sets
 * *got (0 at end of file), or returns the errno value.
 */
static inline int kml_read(int fd, kml_chars buf, size_t *got) {
  for (;;) {
    ssize_t n = read(fd, buf.data, buf.len); /* the view's own range */
    if (n >= 0) {
      *got = (size_t)n;
      return 0;
    }
    if (errno != EINTR)
      return errno;
  }
}

/* Writes all of `text`, looping over short writes. 0 or the errno value. */
static inline int kml_write_all(int fd, kml_cchars text) {
  while (text.len > 0) {
    ssize_t n = write(fd, text.data, text.len); /* the view's own range */
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    if (n == 0)
      return EIO;
    text = kml_cchars_from(text, (size_t)n);
  }
  return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* KML_RT_H */
