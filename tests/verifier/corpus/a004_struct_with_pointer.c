// EXPECT: accept
// Near miss: a struct (not a union) may hold pointers and integers.
struct view {
  const char *text;
  long length;
};

long len(const struct view *v) { return v->length; }
