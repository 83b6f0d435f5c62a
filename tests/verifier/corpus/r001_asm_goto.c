// EXPECT: KML-R001
// asm goto is still inline assembly.
int probe(int x) {
  __asm__ goto("jmp %l[out]" : : : : out);
  return x;
out:
  return -x;
}
