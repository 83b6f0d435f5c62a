// EXPECT: KML-R014
// FLAGS: -mred-zone
// A later -mred-zone undoes -mno-red-zone: interrupt frames at CPL 0 would
// clobber it.
int main(void) { return 0; }
