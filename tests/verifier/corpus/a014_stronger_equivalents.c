// EXPECT: accept
// REQUIRED-FLAGS: no
// FLAGS: -O2 -mno-red-zone -fsanitize=array-bounds,local-bounds -fsanitize-trap=all -ftrivial-auto-var-init=zero -fstack-protector-all -fcf-protection
// Near miss: equivalent or stronger spellings of every required flag.
int main(void) { return 0; }
