// EXPECT: KML-R003
// Casting away const through a C-style cast.
void shout(const char *s) {
  char *w = (char *)s;
  *w = 'A';
}
