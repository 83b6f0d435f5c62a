// EXPECT: KML-R011
// An array decays to the address of the local buffer.
const char *name(void) {
  char buf[8] = "kml";
  return buf;
}
