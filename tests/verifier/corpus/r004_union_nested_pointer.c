// EXPECT: KML-R004
// The pointer hides inside a struct member of the union.
struct node { struct node *next; };
union slot {
  struct node link;
  unsigned long raw;
};

unsigned long size_of_slot(void) { return sizeof(union slot); }
