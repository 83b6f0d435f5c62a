// EXPECT: accept
// Near miss: array sizes computed with sizeof are constants.
struct header {
  long a, b;
};

struct frame {
  unsigned char raw[sizeof(struct header) * 2];
};

int first(struct frame *f) { return f->raw[0]; }
