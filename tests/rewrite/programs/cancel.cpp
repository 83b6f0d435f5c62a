// pthread_cancel of a thread blocked in read(): glibc unwinds the thread
// from its cancellation signal handler, through the interrupted syscall
// (a stub in a rewritten program) and the C++ frames above it, running
// their destructors. Prints what ran; exits 6 when the destructor did.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>

namespace {

int destructorRan = 0;

struct Guard {
  ~Guard() { destructorRan = 1; }
};

__attribute__((noinline)) void blockInRead(int fd) {
  char c;
  (void)!read(fd, &c, 1);
}

void *reader(void *arg) {
  Guard guard;
  blockInRead(*static_cast<int *>(arg));
  return nullptr;
}

} // namespace

int main() {
  int p[2];
  if (pipe(p) != 0) {
    return 1;
  }
  pthread_t t;
  pthread_create(&t, nullptr, reader, &p[0]);
  usleep(100000);
  pthread_cancel(t);
  void *result = nullptr;
  pthread_join(t, &result);
  std::printf("cancelled %s, destructor %s\n",
              result == PTHREAD_CANCELED ? "yes" : "no",
              destructorRan ? "ran" : "skipped");
  return destructorRan ? 6 : 1;
}
