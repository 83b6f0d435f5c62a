// EXPECT: KML-R003 KML-R007 KML-R008
// The builtin spelling of alloca.
int scratch(unsigned n) {
  char *p = __builtin_alloca(n);
  *p = 0;
  return *p;
}
