// EXPECT: accept
// Near miss: casts between arithmetic types do not touch pointers.
int mix(double d, long l, unsigned char c) {
  return (int)d + (int)l + (unsigned char)(c + 1) + (short)-1;
}
