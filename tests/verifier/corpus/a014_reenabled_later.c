// EXPECT: accept
// FLAGS: -fno-stack-protector -mred-zone -fstack-protector-strong -mno-red-zone
// Near miss: flags switched off and on again; the last one wins.
int main(void) { return 0; }
