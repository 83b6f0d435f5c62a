// kml-bench: the cost of one system call, by path, measured in the guest.
//
// For each system call it runs rounds of calls through each available path
// and prints the median cost of one call:
//   native  the syscall instruction (ring 3, or the ring-0 slow path when
//           the program runs at CPL 0)
//   direct  a jump to the kernel's direct entry (AT_KML_ENTRY), ring 0 only
// Lines look like "BENCH getppid ring0-direct 123.4": the path is ring3,
// ring0-slow (the syscall instruction at CPL 0), ring0-direct or, when the
// third argument is "bypass" (a copy marked with the bypass flag, whose
// AT_KML_ENTRY is the bypass entry), ring0-bypass alone; the
// figure is nanoseconds of guest time; under QEMU -icount shift=0 one
// nanosecond is one guest instruction.
// The cost of an empty round is subtracted.
//
// pipe-pingpong is a round trip to another process: a byte written into a
// pipe that a ring-3 echo process (KML_BENCH_PARTNER, a kml-bench copy
// run as "kml-bench echo RFD WFD") reads and writes back into a second
// pipe. On one CPU each round trip switches to the echo process and back,
// as a server woken once a request is: what it measures beyond
// pipe-write-read is what a switch into and out of the program costs.

#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/kml_abi.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vector>

// Read by the inline assembly below; set once from the auxiliary vector.
extern "C" {
unsigned long kml_bench_entry = 0;
}

namespace {

// One system call's number and arguments.
struct Call {
  long nr;
  long a1 = 0;
  long a2 = 0;
  long a3 = 0;
  long a4 = 0;
  long a5 = 0;
  long a6 = 0;
};

// The syscall instruction.
inline long nativeCall(const Call &c) {
  long ret = c.nr;
  register long r10 asm("r10") = c.a4;
  register long r8 asm("r8") = c.a5;
  register long r9 asm("r9") = c.a6;
  asm volatile("syscall"
               : "+a"(ret)
               : "D"(c.a1), "S"(c.a2), "d"(c.a3), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

// The direct entry: jump with the return address in %rcx; the two bytes
// before the return address re-do the jump when the kernel restarts the
// call. Nothing is pushed below %rsp.
inline long directCall(const Call &c) {
  long ret = c.nr;
  register long r10 asm("r10") = c.a4;
  register long r8 asm("r8") = c.a5;
  register long r9 asm("r9") = c.a6;
  asm volatile("0: lea 1f(%%rip), %%rcx\n\t"
               "jmp *kml_bench_entry(%%rip)\n\t"
               "jmp 0b\n"
               "1:"
               : "+a"(ret)
               : "D"(c.a1), "S"(c.a2), "d"(c.a3), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

long monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

inline unsigned long long readTsc() {
  unsigned int lo = 0;
  unsigned int hi = 0;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
}

// Rounds are timed with the TSC, converted to ns with a factor measured
// against CLOCK_MONOTONIC over 400 ms: a guest whose clocksource fell back
// to 4 ms jiffies (TCG's TSC can fail calibration) still gets figures
// within about 1%, and under -icount both clocks count instructions.
double g_nsPerTick = 1.0;

void calibrateTsc() {
  constexpr long kSpanNs = 400000000L;
  const long t0 = monotonicNs();
  const unsigned long long c0 = readTsc();
  long t1 = t0;
  while ((t1 = monotonicNs()) - t0 < kSpanNs) {
  }
  const unsigned long long c1 = readTsc();
  g_nsPerTick = static_cast<double>(t1 - t0) / static_cast<double>(c1 - c0);
}

struct Fds {
  int pipeRead = -1;
  int pipeWrite = -1;
  int devNull = -1;
  int futexWord = 0;
  int toEcho = -1;         // written by the benchmark, read by the echo process
  int fromEcho = -1;       // written by the echo process, read by the benchmark
  int epoll = -1;          // an epoll set with one ready descriptor
  int dgram[2] = {-1, -1}; // a UNIX datagram socket pair
  int listener = -1;       // a listening socket nobody connects to
};

// One system call as the benchmark issues it, through a given path.
using Path = long (*)(const Call &);

struct Case {
  const char *name;
  void (*run)(Path call, Fds &fds);
};

char g_byte = 'x';

long addr(const void *p) { return reinterpret_cast<long>(p); }

// The calls servers make most (epoll_wait, read/write, recvfrom/sendto,
// writev, accept4) each have a case: make bench-server's per-request
// figures are accounted for with these.
const std::array<Case, 12> kCases{{
    {"getppid", [](Path c, Fds &) { c({SYS_getppid}); }},
    {"pipe-write-read",
     [](Path c, Fds &f) {
       // Keep the pipe from running dry: one write, one read.
       c({SYS_write, f.pipeWrite, addr(&g_byte), 1});
       c({SYS_read, f.pipeRead, addr(&g_byte), 1});
     }},
    {"null-write",
     [](Path c, Fds &f) {
       // One byte to /dev/null: the write path with no device work.
       c({SYS_write, f.devNull, addr(&g_byte), 1});
     }},
    {"null-read",
     [](Path c, Fds &f) {
       // /dev/null reads end of file at once.
       c({SYS_read, f.devNull, addr(&g_byte), 1});
     }},
    {"null-writev",
     [](Path c, Fds &f) {
       const std::array<iovec, 2> iov{{{&g_byte, 1}, {&g_byte, 1}}};
       c({SYS_writev, f.devNull, addr(iov.data()), iov.size()});
     }},
    {"epoll_wait",
     [](Path c, Fds &f) {
       epoll_event ev{};
       c({SYS_epoll_wait, f.epoll, addr(&ev), 1, 0});
     }},
    {"sendto-recvfrom",
     [](Path c, Fds &f) {
       c({SYS_sendto, f.dgram[0], addr(&g_byte), 1, 0, 0, 0});
       c({SYS_recvfrom, f.dgram[1], addr(&g_byte), 1, 0, 0, 0});
     }},
    {"accept4-eagain",
     [](Path c, Fds &f) {
       // Nobody connects: EAGAIN, as a server's accept loop ends.
       c({SYS_accept4, f.listener, 0, 0, SOCK_NONBLOCK});
     }},
    {"clock_gettime",
     [](Path c, Fds &) {
       timespec ts{};
       c({SYS_clock_gettime, CLOCK_MONOTONIC, addr(&ts)});
     }},
    {"openat-close",
     [](Path c, Fds &) {
       const long fd = c({SYS_openat, AT_FDCWD, addr("/dev/null"), O_RDONLY});
       c({SYS_close, fd});
     }},
    {"futex-wake",
     [](Path c, Fds &f) {
       c({SYS_futex, addr(&f.futexWord), FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1});
     }},
    {"pipe-pingpong",
     [](Path c, Fds &f) {
       c({SYS_write, f.toEcho, addr(&g_byte), 1});
       c({SYS_read, f.fromEcho, addr(&g_byte), 1});
     }},
}};

// The descriptors the server calls' cases use; false with errno set.
bool openServerFds(Fds &fds) {
  const int ready = eventfd(1, EFD_NONBLOCK);
  fds.epoll = epoll_create1(0);
  epoll_event ev{};
  ev.events = EPOLLIN;
  if (ready < 0 || fds.epoll < 0 ||
      epoll_ctl(fds.epoll, EPOLL_CTL_ADD, ready, &ev) != 0) {
    return false;
  }
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, fds.dgram) != 0) {
    return false;
  }
  fds.listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  // An abstract name, unique to this process: nothing on disk.
  const int len = std::snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
                                "kml-bench-%d", getpid());
  return fds.listener >= 0 &&
         bind(fds.listener, reinterpret_cast<sockaddr *>(&sun),
              static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 +
                                     len)) == 0 &&
         listen(fds.listener, 1) == 0;
}

// The echo process: a byte back for every byte, until end of file.
int runEcho(int in, int out) {
  char byte = 0;
  while (read(in, &byte, 1) == 1) {
    if (write(out, &byte, 1) != 1) {
      return 1;
    }
  }
  return 0;
}

// Starts the echo process from the ring-3 copy at `partner`; returns its
// pid, or -1 with errno set.
pid_t startEcho(const char *partner, Fds &fds) {
  int down[2];
  int up[2];
  if (pipe(down) != 0) {
    return -1;
  }
  if (pipe(up) != 0) {
    close(down[0]);
    close(down[1]);
    return -1;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    close(down[1]);
    close(up[0]);
    const std::string in = std::to_string(down[0]);
    const std::string out = std::to_string(up[1]);
    execl(partner, partner, "echo", in.c_str(), out.c_str(),
          static_cast<char *>(nullptr));
    std::perror("kml-bench: exec of the echo process");
    _exit(127);
  }
  close(down[0]);
  close(up[1]);
  if (pid < 0) {
    close(down[1]);
    close(up[0]);
    return -1;
  }
  fds.toEcho = down[1];
  fds.fromEcho = up[0];
  return pid;
}

long nativePath(const Call &c) { return nativeCall(c); }
long directPath(const Call &c) { return directCall(c); }
long nullPath(const Call &) { return 0; }

double medianPerCall(const Case &c, Path path, Fds &fds, int rounds,
                     int calls) {
  std::vector<double> perCall;
  for (int r = 0; r < rounds; ++r) {
    const unsigned long long start = readTsc();
    for (int i = 0; i < calls; ++i) {
      c.run(path, fds);
    }
    perCall.push_back(static_cast<double>(readTsc() - start) * g_nsPerTick /
                      calls);
  }
  std::nth_element(perCall.begin(), perCall.begin() + rounds / 2,
                   perCall.end());
  return perCall[rounds / 2];
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 4 && std::string_view(argv[1]) == "echo") {
    return runEcho(std::atoi(argv[2]), std::atoi(argv[3]));
  }
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 11;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 2000;
  const bool bypass = argc > 3 && std::string_view(argv[3]) == "bypass";
  if (rounds <= 0 || calls <= 0 || (argc > 3 && !bypass)) {
    std::fprintf(stderr, "usage: kml-bench [ROUNDS [CALLS [bypass]]]\n");
    return 2;
  }
  kml_bench_entry = getauxval(AT_KML_ENTRY);
  calibrateTsc();
  unsigned short cs = 0;
  asm volatile("mov %%cs, %0" : "=r"(cs));
  std::printf("BENCH-INFO cpl=%d direct=%s rounds=%d calls=%d\n", cs & 3,
              kml_bench_entry != 0 ? "yes" : "no", rounds, calls);

  Fds fds;
  int p[2];
  if (pipe(p) != 0 || (fds.devNull = open("/dev/null", O_RDWR)) < 0 ||
      !openServerFds(fds)) {
    std::perror("kml-bench: setup");
    return 1;
  }
  fds.pipeRead = p[0];
  fds.pipeWrite = p[1];
  // Without a ring-3 partner there is no ping-pong (a ring-0 copy of this
  // program as the partner would measure something else).
  const char *partner = std::getenv("KML_BENCH_PARTNER");
  pid_t echo = -1;
  if (partner != nullptr && (echo = startEcho(partner, fds)) < 0) {
    std::perror("kml-bench: the echo process");
    return 1;
  }

  const char *nativeName = (cs & 3) != 0 ? "ring3" : "ring0-slow";
  for (const auto &c : kCases) {
    if (std::string_view(c.name) == "pipe-pingpong" && echo < 0) {
      continue;
    }
    const double empty = medianPerCall(c, nullPath, fds, rounds, calls);
    if (!bypass) {
      std::printf("BENCH %s %s %.1f\n", c.name, nativeName,
                  medianPerCall(c, nativePath, fds, rounds, calls) - empty);
    }
    if (kml_bench_entry != 0) {
      std::printf("BENCH %s %s %.1f\n", c.name,
                  bypass ? "ring0-bypass" : "ring0-direct",
                  medianPerCall(c, directPath, fds, rounds, calls) - empty);
    }
  }
  std::fflush(stdout);
  if (echo > 0) {
    close(fds.toEcho);
    int status = 0;
    if (waitpid(echo, &status, 0) != echo || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "kml-bench: the echo process failed\n");
      return 1;
    }
  }
  return 0;
}
