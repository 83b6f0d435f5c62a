// EXPECT: accept
// FLAGS: -O2 -g -fno-exceptions -fno-rtti -Wall -Werror -w
// Near miss: other flags (even -Werror and -w) do not disturb the check.
int main() { return 0; }
