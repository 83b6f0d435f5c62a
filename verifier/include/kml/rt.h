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
 * (unsigned char), kml_ints (int).
 *
 * Unsafe operations in this file: `s.data[i]` and `s.data + off`, each
 * after a kml_check that keeps the index inside [0, s.len).
 */
#ifndef KML_RT_H
#define KML_RT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Stops the program when `cond` is false. */
#define kml_check(cond)                                                        \
  do {                                                                         \
    if (!(cond))                                                               \
      __builtin_trap();                                                        \
  } while (0)

/*
 * Defines the view type `name` over elements of type T and its accessors:
 *   name name##_make(T *data, size_t len)  runtime-internal (unchecked)
 *   T    name##_get(name s, size_t i)      s.data[i], traps when i >= len
 *   void name##_set(name s, size_t i, T v)
 *   T   *name##_at(name s, size_t i)       address of element i, checked
 *   name name##_sub(name s, size_t off, size_t n)  elements [off, off+n)
 *   name name##_from(name s, size_t off)   elements [off, len)
 */
#define KML_SPAN_DEFINE(name, T) KML_SPAN_DEFINE_(name, T, T)
/* The same over `const T` (no _set); _get returns a plain T. */
#define KML_SPAN_DEFINE_CONST(name, T) KML_SPAN_DEFINE_(name, const T, T)

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
  static inline name name##_sub(name s, size_t off, size_t n) {                \
    kml_check(off <= s.len && n <= s.len - off);                               \
    return name##_make(s.data + off, n); /* in bounds: checked above */        \
  }                                                                            \
  static inline name name##_from(name s, size_t off) {                         \
    kml_check(off <= s.len);                                                   \
    return name##_make(s.data + off, s.len - off); /* checked above */         \
  }

/* A setter makes no sense for const element types, so it is separate. */
#define KML_SPAN_DEFINE_SET(name, T)                                           \
  static inline void name##_set(name s, size_t i, T v) { *name##_at(s, i) = v; }

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

/* A read-only view of a writable char view. */
static inline kml_cchars kml_chars_const(kml_chars s) {
  return kml_cchars_make(s.data, s.len);
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

#ifdef __cplusplus
}
#endif

#endif /* KML_RT_H */
