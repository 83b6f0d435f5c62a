// EXPECT: accept
// Near miss: an array member of known size.
struct ring {
  int slots[8];
  unsigned head;
};

int peek(struct ring *r) { return r->slots[r->head % 8]; }
