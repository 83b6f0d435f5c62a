// EXPECT: KML-R006
// The pre-C99 "[1]" trailing array idiom is a flexible array too.
struct packet {
  int length;
  unsigned char data[1];
};

int byte_at(struct packet *p, int i) { return p->data[i]; }
