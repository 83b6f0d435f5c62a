// EXPECT: accept
// Near miss: an application function whose name merely contains "syscall".
static long my_syscall_count(int n) { return n * 2L; }

int main(void) { return (int)my_syscall_count(0); }
