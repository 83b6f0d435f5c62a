// EXPECT: KML-R014
// FLAGS: -fcf-protection=none
// Control-flow protection switched off.
int main(void) { return 0; }
