/* An unwinder started in a signal handler must walk through the frame of
 * a syscall that the signal interrupted, into its callers: backtraces,
 * C++ exceptions and forced unwinding (thread cancellation) need it. In a
 * rewritten program that frame is a stub. Prints whether the walk reached
 * the function that made the syscall, and its caller. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <unwind.h>

static volatile int reached_blocker, reached_main, frames;

__attribute__((noinline)) static void blocker(int fd);
__attribute__((noinline)) static void blocker_end(void) {}

static _Unwind_Reason_Code step(struct _Unwind_Context *ctx, void *arg) {
  (void)arg;
  uintptr_t ip = _Unwind_GetIP(ctx);
  frames++;
  if (ip > (uintptr_t)blocker && ip < (uintptr_t)blocker + 256)
    reached_blocker = 1;
  return _URC_NO_REASON;
}

static void on_alarm(int sig) {
  (void)sig;
  _Unwind_Backtrace(step, NULL);
}

__attribute__((noinline)) static void blocker(int fd) {
  char c;
  (void)!read(fd, &c, 1); /* interrupted by SIGALRM: EINTR */
  __asm__ volatile("" ::: "memory");
}

int main(void) {
  int p[2];
  if (pipe(p) != 0)
    return 1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval t = {{0, 0}, {0, 50000}};
  setitimer(ITIMER_REAL, &t, NULL);
  blocker(p[0]);
  blocker_end();
  printf("unwound through the interrupted syscall: %s\n",
         reached_blocker ? "yes" : "no");
  return reached_blocker ? 0 : 1;
}
