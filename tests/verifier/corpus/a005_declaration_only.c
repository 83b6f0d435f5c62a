// EXPECT: accept
// Near miss: declaring a variadic prototype defines nothing.
int log_message(const char *fmt, ...);

int main(void) { return 0; }
