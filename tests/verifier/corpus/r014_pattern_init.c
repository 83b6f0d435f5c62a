// EXPECT: KML-R014
// FLAGS: -ftrivial-auto-var-init=pattern
// Pattern init is not the required zero init.
int main(void) { return 0; }
