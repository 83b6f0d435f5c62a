// EXPECT: accept
// Near miss: a table of explicitly taken function addresses.
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }

static int (*const ops[2])(int, int) = {&add, sub};

int apply(int which, int a, int b) { return ops[which & 1](a, b); }
