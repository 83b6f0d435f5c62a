/* Threads (clone), a mutex and a condition variable (futex), thread exit
 * and join: output and status must not change when rewritten. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

enum { kThreads = 4, kRounds = 2000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn = PTHREAD_COND_INITIALIZER;
static long total;
static int next;

static void *worker(void *arg) {
  int id = (int)(long)arg;
  for (int i = 0; i < kRounds; ++i) {
    pthread_mutex_lock(&lock);
    while (next != id)
      pthread_cond_wait(&turn, &lock);
    total += id + 1;
    next = (next + 1) % kThreads;
    pthread_cond_broadcast(&turn);
    pthread_mutex_unlock(&lock);
  }
  char line[32];
  int n = snprintf(line, sizeof line, "thread %d done\n", id);
  pthread_mutex_lock(&lock);
  (void)!write(1, line, n); /* one line at a time, order varies */
  pthread_mutex_unlock(&lock);
  return (void *)(long)(id * 10);
}

/* Blocks in read(), a cancellation point, until cancelled. */
static void *reader(void *arg) {
  char c;
  (void)!read(*(int *)arg, &c, 1);
  return NULL;
}

static int cancel_blocked_read(void) {
  int p[2];
  if (pipe(p) != 0)
    return 0;
  pthread_t t;
  pthread_create(&t, NULL, reader, &p[0]);
  usleep(100000);
  pthread_cancel(t);
  void *r = NULL;
  pthread_join(t, &r);
  return r == PTHREAD_CANCELED;
}

int main(void) {
  pthread_t t[kThreads];
  for (long i = 0; i < kThreads; ++i)
    pthread_create(&t[i], NULL, worker, (void *)i);
  long sum = 0;
  for (int i = 0; i < kThreads; ++i) {
    void *r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  printf("total %ld joined %ld\n", total, sum);
  int cancelled = cancel_blocked_read();
  printf("cancel %s\n", cancelled ? "ok" : "FAILED");
  return total == (long)kRounds * (1 + 2 + 3 + 4) && cancelled ? 5 : 1;
}
