// EXPECT: KML-R001
// Inline assembly: `cli` at CPL 0 would disable interrupts.
int quiet(void) {
  __asm__ volatile("cli");
  return 0;
}
