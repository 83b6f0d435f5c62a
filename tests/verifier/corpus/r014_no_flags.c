// EXPECT: KML-R014
// REQUIRED-FLAGS: no
// FLAGS: -O2
// None of the required hardening flags.
int main(void) { return 0; }
