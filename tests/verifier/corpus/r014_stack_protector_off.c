// EXPECT: KML-R014
// FLAGS: -fno-stack-protector
// The stack protector is switched off after the required flags.
int main(void) { return 0; }
