// EXPECT: KML-R003
// Integer-to-pointer: forges an address.
int peek(void) {
  volatile int *mmio = (volatile int *)0xffff800000000000UL;
  return *mmio;
}
