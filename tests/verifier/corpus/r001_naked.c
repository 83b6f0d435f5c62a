// EXPECT: KML-R001
// A naked function is assembly with a C signature.
__attribute__((naked)) void trampoline(void) { __asm__("ret"); }
