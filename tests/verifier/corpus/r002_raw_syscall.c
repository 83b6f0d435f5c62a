// EXPECT: KML-R002
// Raw syscall() bypasses the reviewed wrappers.
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

long my_pid(void) { return syscall(SYS_getpid); }
