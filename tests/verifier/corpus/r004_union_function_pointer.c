// EXPECT: KML-R004
// Function pointers are pointers too.
union handler {
  void (*fn)(void);
  unsigned long addr;
};

unsigned long width(void) { return sizeof(union handler); }
