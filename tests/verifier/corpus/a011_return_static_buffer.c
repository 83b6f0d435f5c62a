// EXPECT: accept
// Near miss: a static local outlives every call.
const char *label(void) {
  static char buf[8] = "kml";
  return buf;
}
