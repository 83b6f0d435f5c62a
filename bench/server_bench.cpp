// kml-server-bench: what ring 0 buys a real server, measured in the guest
// (`make bench-server`, docs/dynamic.md).
//
//   kml-server-bench NAME RUNS REQUESTS SERVER_PID -- CLIENT [ARGS...]
//
// Runs CLIENT (redis-benchmark, ab) against the server whose master is
// SERVER_PID, each run twice: with "{n}" in its arguments replaced by
// REQUESTS, then by twice that. What one run adds over the other is what
// REQUESTS requests cost, without the client's exec, start-up, connections
// and exit, which are the same in both and would otherwise be spread over
// the requests. Prints one line a run:
//
//   SERVER-BENCH NAME run=I requests=N ns=T server_ns=C calls=S
//                direct=D
//
// T: guest nanoseconds the N more requests took; under QEMU -icount
//    shift=0,sleep=off on one vCPU a nanosecond is one guest instruction,
//    so T is every instruction the client, the server and the kernel ran.
// C: the server's CPU time in nanoseconds (its master and every process
//    whose parent it is: nginx's workers), from /proc/PID/sched.
// S, D: the server's system calls and those that took the direct or
//    bypass entry, from /sys/kernel/kml/programs (0 at ring 3).
// A benchmark, not a test: it fails only if the client fails.

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

long long nowNanoseconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// The CPU time of one process in nanoseconds (under icount,
// instructions), and its parent's pid.
struct ProcessTime {
  long long ticks = 0;
  long parent = 0;
};

// se.sum_exec_runtime in /proc/PID/sched (CONFIG_SCHED_DEBUG), which
// prints milliseconds with six decimals: nanoseconds.
long long cpuNanoseconds(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/sched");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("se.sum_exec_runtime")) {
      const auto colon = line.find(':');
      return colon == std::string::npos
                 ? -1
                 : std::llround(std::atof(line.c_str() + colon + 1) * 1e6);
    }
  }
  return -1;
}

bool readProcessTime(long pid, ProcessTime &out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) {
    return false;
  }
  // The command name may hold spaces and parentheses: fields count from
  // the last ')'.
  const auto close = text.rfind(')');
  if (close == std::string::npos) {
    return false;
  }
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  std::vector<std::string> values;
  while (fields >> field) {
    values.push_back(field);
  }
  // values[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  if (values.size() < 13) {
    return false;
  }
  out.parent = std::atol(values[1].c_str());
  out.ticks = cpuNanoseconds(pid);
  return out.ticks >= 0;
}

// The server's CPU time: the master and its children (nginx's workers).
// Their parent comes from /proc/PID/stat.
long long serverTicks(long master) {
  long long ticks = 0;
  DIR *proc = opendir("/proc");
  if (proc == nullptr) {
    return -1;
  }
  while (const dirent *entry = readdir(proc)) {
    const long pid = std::atol(entry->d_name);
    ProcessTime time;
    if (pid > 0 && readProcessTime(pid, time) &&
        (pid == master || time.parent == master)) {
      ticks += time.ticks;
    }
  }
  closedir(proc);
  return ticks;
}

// The master's line in /sys/kernel/kml/programs: its calls and the direct
// ones (direct + bypass); zeros for a ring-3 server.
void serverCalls(long master, long long &calls, long long &direct) {
  calls = direct = 0;
  std::ifstream in("/sys/kernel/kml/programs");
  const std::string key = " pid=" + std::to_string(master) + " ";
  for (std::string line; std::getline(in, line);) {
    if (line.find(key) == std::string::npos) {
      continue;
    }
    long long d = 0, b = 0, s = 0;
    const auto at = line.find("direct=");
    if (at != std::string::npos &&
        std::sscanf(line.c_str() + at, "direct=%lld bypass=%lld slow=%lld", &d,
                    &b, &s) == 3) {
      calls = d + b + s;
      direct = d + b;
    }
  }
}

int runClient(const std::vector<std::string> &args) {
  std::vector<char *> argv;
  for (const auto &arg : args) {
    argv.push_back(const_cast<char *>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // The client's chatter stays out of the log.
    if (std::freopen("/dev/null", "w", stdout) == nullptr) {
      _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The client's arguments with every "{n}" replaced by `requests`.
std::vector<std::string> clientArgs(char **argv, long requests) {
  std::vector<std::string> args;
  for (; *argv != nullptr; ++argv) {
    std::string arg = *argv;
    for (auto at = arg.find("{n}"); at != std::string::npos;
         at = arg.find("{n}")) {
      arg.replace(at, 3, std::to_string(requests));
    }
    args.push_back(std::move(arg));
  }
  return args;
}

// What one client run cost: guest time, the server's CPU time and calls.
struct Sample {
  long long ns = 0;
  long long serverNs = 0;
  long long calls = 0;
  long long direct = 0;
};

// Runs the client once; false (with a message) if it failed.
bool measure(const std::string &name, const std::vector<std::string> &args,
             long master, Sample &out) {
  long long calls0 = 0, direct0 = 0, calls1 = 0, direct1 = 0;
  serverCalls(master, calls0, direct0);
  const long long ticks0 = serverTicks(master);
  const long long start = nowNanoseconds();
  const int status = runClient(args);
  const long long elapsed = nowNanoseconds() - start;
  const long long ticks1 = serverTicks(master);
  serverCalls(master, calls1, direct1);
  if (status != 0) {
    std::cerr << "kml-server-bench: " << name << ": " << args[0]
              << " exited with " << status << "\n";
    return false;
  }
  out = {elapsed, ticks1 - ticks0, calls1 - calls0, direct1 - direct0};
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 7 || std::strcmp(argv[5], "--") != 0) {
    std::cerr << "usage: kml-server-bench NAME RUNS REQUESTS SERVER_PID -- "
                 "CLIENT [ARGS...]\n";
    return 64;
  }
  const std::string name = argv[1];
  const int runs = std::atoi(argv[2]);
  const long requests = std::atol(argv[3]);
  const long master = std::atol(argv[4]);
  const auto once = clientArgs(argv + 6, requests);
  const auto twice = clientArgs(argv + 6, 2 * requests);
  if (runs <= 0 || requests <= 0 || once == twice) {
    std::cerr << "kml-server-bench: RUNS and REQUESTS must be positive and "
                 "the client's arguments must hold {n}\n";
    return 64;
  }
  for (int run = 1; run <= runs; ++run) {
    Sample small;
    Sample large;
    if (!measure(name, once, master, small) ||
        !measure(name, twice, master, large)) {
      return 1;
    }
    std::printf("SERVER-BENCH %s run=%d requests=%ld ns=%lld server_ns=%lld "
                "calls=%lld direct=%lld\n",
                name.c_str(), run, requests, large.ns - small.ns,
                large.serverNs - small.serverNs, large.calls - small.calls,
                large.direct - small.direct);
    std::fflush(stdout);
  }
  return 0;
}
