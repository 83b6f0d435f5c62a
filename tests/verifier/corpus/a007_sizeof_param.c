// EXPECT: accept
// Near miss: sizeof of a fixed array type, no VLA.
unsigned long bytes(void) { return sizeof(int[8]); }
