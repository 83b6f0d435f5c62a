// EXPECT: KML-R007 KML-R008
// A VLA: its size is known only at run time, so the stack is unbounded.
int fill(int n) {
  char buf[n];
  buf[0] = 1;
  return buf[0];
}
