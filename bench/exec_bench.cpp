// kml-exec-bench: what the gate adds to an exec, measured in the guest.
//
//   kml-exec-bench ROUNDS EXECS NAME=PROGRAM...
//
// For each program, ROUNDS rounds of EXECS execs (fork, execve, wait for
// the exit) in two states:
//   cold    nothing holds the file: kml.ko reads, verifies and hashes it
//           at each exec of a signed program
//   cached  one instance of the program runs meanwhile ("hold"), so the
//           file is held and the gate takes its kept verdict
// and prints the median cost of one exec:
//   EXEC-BENCH NAME cold|cached MICROSECONDS
// Guest time: under QEMU -icount shift=0 one microsecond is a thousand
// guest instructions. A benchmark, not a test: it fails only if an exec
// fails.

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

double nowMicroseconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 +
         static_cast<double>(ts.tv_nsec) / 1e3;
}

// Runs PROGRAM without arguments and waits; false if it did not exit 0.
bool runOnce(const std::string &program) {
  const pid_t pid = fork();
  if (pid < 0) {
    return false;
  }
  if (pid == 0) {
    const std::array<char *, 2> argv{const_cast<char *>(program.c_str()),
                                     nullptr};
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

// One instance of a program that runs until destroyed: it holds the file.
class Holder {
public:
  explicit Holder(const std::string &program) {
    std::array<int, 2> in{};
    std::array<int, 2> out{};
    if (pipe(in.data()) != 0) {
      return;
    }
    if (pipe(out.data()) != 0) {
      close(in[0]);
      close(in[1]);
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[0]);
      close(in[1]);
      close(out[0]);
      close(out[1]);
      const std::array<char *, 3> argv{const_cast<char *>(program.c_str()),
                                       const_cast<char *>("hold"), nullptr};
      execv(program.c_str(), argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    writeEnd_ = in[1];
    // Its one byte says it runs: from here on its file is held.
    char byte = 0;
    started_ = pid_ > 0 && read(out[0], &byte, 1) == 1;
    close(out[0]);
  }
  Holder(const Holder &) = delete;
  Holder &operator=(const Holder &) = delete;
  ~Holder() {
    if (writeEnd_ >= 0) {
      close(writeEnd_); // the holder's read() sees the end and it exits
    }
    if (pid_ > 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  [[nodiscard]] bool running() const { return started_; }

private:
  pid_t pid_ = -1;
  int writeEnd_ = -1;
  bool started_ = false;
};

// The median over ROUNDS of the mean cost of one of EXECS execs.
std::optional<double> measure(const std::string &program, int rounds,
                              int execs) {
  std::vector<double> perExec;
  for (int r = 0; r < rounds; r++) {
    const double start = nowMicroseconds();
    for (int i = 0; i < execs; i++) {
      if (!runOnce(program)) {
        return std::nullopt;
      }
    }
    perExec.push_back((nowMicroseconds() - start) / execs);
  }
  std::ranges::sort(perExec);
  return perExec[perExec.size() / 2];
}

std::optional<int> positive(std::string_view text) {
  int value = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

} // namespace

int main(int argc, char **argv) {
  const auto rounds = argc > 3 ? positive(argv[1]) : std::nullopt;
  const auto execs = argc > 3 ? positive(argv[2]) : std::nullopt;
  if (!rounds || !execs) {
    (void)std::fprintf(stderr,
                       "usage: kml-exec-bench ROUNDS EXECS NAME=PROGRAM...\n");
    return 2;
  }
  int status = 0;
  for (int i = 3; i < argc; i++) {
    const std::string_view arg = argv[i];
    const auto eq = arg.find('=');
    if (eq == std::string_view::npos) {
      (void)std::fprintf(stderr, "kml-exec-bench: %s: not NAME=PROGRAM\n",
                         argv[i]);
      return 2;
    }
    const std::string name(arg.substr(0, eq));
    const std::string program(arg.substr(eq + 1));
    runOnce(program); // the page cache, for both states alike
    const auto cold = measure(program, *rounds, *execs);
    std::optional<double> cached;
    {
      const Holder holder(program);
      cached =
          holder.running() ? measure(program, *rounds, *execs) : std::nullopt;
    }
    if (!cold || !cached) {
      (void)std::fprintf(stderr, "kml-exec-bench: %s: an exec failed (%s)\n",
                         program.c_str(), std::strerror(errno));
      status = 1;
      continue;
    }
    (void)std::printf("EXEC-BENCH %s cold %.1f\n", name.c_str(), *cold);
    (void)std::printf("EXEC-BENCH %s cached %.1f\n", name.c_str(), *cached);
    (void)std::fflush(stdout);
  }
  return status;
}
