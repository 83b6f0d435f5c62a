// EXPECT: KML-R011
// Stored through a pointer parameter into the caller's memory.
void give(int **out) {
  int x = 5;
  *out = &x;
}
