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

#include <sys/auxv.h>
#include <sys/syscall.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <linux/futex.h>
#include <string_view>
#include <time.h>
#include <unistd.h>
#include <vector>

namespace {

// Must match AT_KML_ENTRY in loader/uapi/linux/kml_abi.h and the kernel.
constexpr unsigned long kAtKmlEntry = 0x4b4d;

} // namespace

// Read by the inline assembly below; set once from the auxiliary vector.
extern "C" {
unsigned long kml_bench_entry = 0;
}

namespace {

// The syscall instruction with up to four arguments.
inline long nativeCall(long nr, long a1 = 0, long a2 = 0, long a3 = 0,
                       long a4 = 0) {
  long ret = nr;
  register long r10 asm("r10") = a4;
  asm volatile("syscall"
               : "+a"(ret)
               : "D"(a1), "S"(a2), "d"(a3), "r"(r10)
               : "rcx", "r11", "memory");
  return ret;
}

// The direct entry: jump with the return address in %rcx; the two bytes
// before the return address re-do the jump when the kernel restarts the
// call. Nothing is pushed below %rsp.
inline long directCall(long nr, long a1 = 0, long a2 = 0, long a3 = 0,
                       long a4 = 0) {
  long ret = nr;
  register long r10 asm("r10") = a4;
  asm volatile("0: lea 1f(%%rip), %%rcx\n\t"
               "jmp *kml_bench_entry(%%rip)\n\t"
               "jmp 0b\n"
               "1:"
               : "+a"(ret)
               : "D"(a1), "S"(a2), "d"(a3), "r"(r10)
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
};

// One system call as the benchmark issues it, through a given path.
using Path = long (*)(long, long, long, long, long);

struct Case {
  const char *name;
  void (*run)(Path call, Fds &fds);
};

char g_byte = 'x';

const std::array<Case, 7> kCases{{
    {"getppid", [](Path c, Fds &) { c(SYS_getppid, 0, 0, 0, 0); }},
    {"pipe-write-read",
     [](Path c, Fds &f) {
       // Keep the pipe from running dry: one write, one read.
       c(SYS_write, f.pipeWrite, reinterpret_cast<long>(&g_byte), 1, 0);
       c(SYS_read, f.pipeRead, reinterpret_cast<long>(&g_byte), 1, 0);
     }},
    {"null-write",
     [](Path c, Fds &f) {
       c(SYS_write, f.devNull, reinterpret_cast<long>(&g_byte), 1, 0);
     }},
    {"null-read",
     [](Path c, Fds &f) {
       c(SYS_read, f.devNull, reinterpret_cast<long>(&g_byte), 1, 0);
     }},
    {"clock_gettime",
     [](Path c, Fds &) {
       timespec ts{};
       c(SYS_clock_gettime, CLOCK_MONOTONIC, reinterpret_cast<long>(&ts), 0, 0);
     }},
    {"openat-close",
     [](Path c, Fds &) {
       const long fd = c(SYS_openat, AT_FDCWD,
                         reinterpret_cast<long>("/dev/null"), O_RDONLY, 0);
       c(SYS_close, fd, 0, 0, 0);
     }},
    {"futex-wake",
     [](Path c, Fds &f) {
       c(SYS_futex, reinterpret_cast<long>(&f.futexWord),
         FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, 0);
     }},
}};

long nativePath(long nr, long a1, long a2, long a3, long a4) {
  return nativeCall(nr, a1, a2, a3, a4);
}
long directPath(long nr, long a1, long a2, long a3, long a4) {
  return directCall(nr, a1, a2, a3, a4);
}
long nullPath(long, long, long, long, long) { return 0; }

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
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 11;
  const int calls = argc > 2 ? std::atoi(argv[2]) : 2000;
  const bool bypass = argc > 3 && std::string_view(argv[3]) == "bypass";
  if (rounds <= 0 || calls <= 0 || (argc > 3 && !bypass)) {
    std::fprintf(stderr, "usage: kml-bench [ROUNDS [CALLS [bypass]]]\n");
    return 2;
  }
  kml_bench_entry = getauxval(kAtKmlEntry);
  calibrateTsc();
  unsigned short cs = 0;
  asm volatile("mov %%cs, %0" : "=r"(cs));
  std::printf("BENCH-INFO cpl=%d direct=%s rounds=%d calls=%d\n", cs & 3,
              kml_bench_entry != 0 ? "yes" : "no", rounds, calls);

  Fds fds;
  int p[2];
  if (pipe(p) != 0 || (fds.devNull = open("/dev/null", O_RDWR)) < 0) {
    std::perror("kml-bench: setup");
    return 1;
  }
  fds.pipeRead = p[0];
  fds.pipeWrite = p[1];

  const char *nativeName = (cs & 3) != 0 ? "ring3" : "ring0-slow";
  for (const auto &c : kCases) {
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
  return 0;
}
