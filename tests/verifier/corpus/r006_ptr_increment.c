// EXPECT: KML-R006
// Walking a string with ++ on the pointer.
unsigned length(const char *s) {
  unsigned n = 0;
  while (*s) {
    ++s;
    ++n;
  }
  return n;
}
