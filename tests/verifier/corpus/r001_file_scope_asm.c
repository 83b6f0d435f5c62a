// EXPECT: KML-R001
// Module-level asm defines code the verifier cannot see.
__asm__(".globl hidden_entry\nhidden_entry:\n  hlt\n");

int main(void) { return 0; }
