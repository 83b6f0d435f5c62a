// EXPECT: accept
// Near miss: declared first, defined later in the same program.
int helper(int);

int main(void) { return helper(2); }

int helper(int x) { return x - 2; }
