/* A program without libc (as ring-0 apps may be): raw write and exit
 * system calls, no TLS, no startup code reading AT_PHDR. */
void _start(void) {
  static const char msg[] = "nolibc\n";
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(1), "D"(1), "S"(msg), "d"(sizeof msg - 1)
                   : "rcx", "r11", "memory");
  __asm__ volatile("syscall" : : "a"(60), "D"(5) : "rcx", "r11", "memory");
  __builtin_unreachable();
}
