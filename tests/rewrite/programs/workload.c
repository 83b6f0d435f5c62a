/* Files, pipes, fork, and signals (SA_RESTART and EINTR on a blocking
 * read interrupted by a timer), for comparing a rewritten program with
 * the original. Prints one line per check; exits 42 when all passed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) {
  (void)sig;
  alarms++;
}

static int files(void) {
  char path[] = "/tmp/kml-rewrite-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return 0;
  const char text[] = "kml rewrite file check\n";
  char back[sizeof text] = {0};
  int ok = write(fd, text, sizeof text) == sizeof text &&
           lseek(fd, 0, SEEK_SET) == 0 &&
           read(fd, back, sizeof back) == sizeof back &&
           memcmp(text, back, sizeof text) == 0;
  close(fd);
  unlink(path);
  return ok;
}

static int fork_pipe(void) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    const char msg[] = "from child";
    _exit(write(p[1], msg, sizeof msg) == sizeof msg ? 7 : 1);
  }
  close(p[1]);
  char buf[32] = {0};
  ssize_t n = read(p[0], buf, sizeof buf);
  close(p[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return n == 11 && strcmp(buf, "from child") == 0 && WIFEXITED(status) &&
         WEXITSTATUS(status) == 7;
}

static void arm(int restart, long usec) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = restart ? SA_RESTART : 0;
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval t = {{0, 0}, {0, usec}};
  setitimer(ITIMER_REAL, &t, NULL);
}

/* A read with no data yet, interrupted by SIGALRM without SA_RESTART:
 * fails with EINTR. */
static int eintr(void) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  alarms = 0;
  arm(0, 50000);
  char c;
  ssize_t n = read(p[0], &c, 1);
  int ok = n == -1 && errno == EINTR && alarms == 1;
  close(p[0]);
  close(p[1]);
  return ok;
}

/* The same read with SA_RESTART: the kernel restarts it after the handler
 * and it returns the byte a child writes later. */
static int restart(void) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    usleep(300000);
    _exit(write(p[1], "r", 1) == 1 ? 0 : 1);
  }
  close(p[1]);
  alarms = 0;
  arm(1, 50000);
  char c = 0;
  ssize_t n = read(p[0], &c, 1);
  int status = 0;
  waitpid(pid, &status, 0);
  close(p[0]);
  return n == 1 && c == 'r' && alarms == 1 && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

int main(void) {
  int all = 1, ok;
  ok = files();
  all &= ok;
  printf("files %s\n", ok ? "ok" : "FAILED");
  ok = fork_pipe();
  all &= ok;
  printf("fork+pipe %s\n", ok ? "ok" : "FAILED");
  ok = eintr();
  all &= ok;
  printf("EINTR %s\n", ok ? "ok" : "FAILED");
  ok = restart();
  all &= ok;
  printf("SA_RESTART %s\n", ok ? "ok" : "FAILED");
  return all ? 42 : 1;
}
