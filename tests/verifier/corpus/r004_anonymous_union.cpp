// EXPECT: KML-R004
// An anonymous union inside a struct is still a union.
struct Value {
  int tag;
  union {
    const char *text;
    long number;
  };
};

int tag_of(const Value &v) { return v.tag; }
