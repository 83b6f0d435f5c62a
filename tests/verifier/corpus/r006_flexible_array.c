// EXPECT: KML-R006
// A flexible array member carries no bound the sanitizer could check.
struct packet {
  int length;
  unsigned char data[];
};

int first(struct packet *p, int i) { return p->data[i]; }
