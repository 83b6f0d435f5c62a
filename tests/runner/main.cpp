// kml-vmrun: boots a kml test VM, collects the kselftest TAP that the guest
// prints on its serial console, and fails on any failed or missing test, any
// kernel report (WARNING, BUG, oops, KASAN, lockdep, kmemleak...), a guest
// that does not finish or power off, or a timeout. It prints the guest lines
// that explain each failure, keeps the whole log in a file, and ends with
// "vm: N passed, N failed".
//
//   kml-vmrun [--timeout SEC] [--log FILE] [--expect NAME]... [--verbose]
//             [--qemu-monitor] -- qemu-system-x86_64 ARGS...
//
// With --qemu-monitor it gives QEMU a monitor of its own and carries out
// what guest tests ask of the host (host_request.hpp): a machine check
// injected into a chosen CPU. Without it, a guest request fails the run.

#include "child_process.hpp"
#include "guest_log.hpp"
#include "host_request.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <system_error>
#include <vector>

namespace {

using kml::vmrun::ChildProcess;
using kml::vmrun::GuestLog;
using kml::vmrun::QemuMonitor;
using Clock = ChildProcess::Clock;

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitUsage = 2;
constexpr auto kPowerOffGrace = std::chrono::seconds(30);
constexpr auto kMonitorReplyTimeout = std::chrono::milliseconds(2000);

struct Options {
  int timeoutSeconds = 600;
  std::string logPath = "vm.log";
  std::vector<std::string> expected;
  bool verbose = false;
  bool qemuMonitor = false;
  std::vector<std::string> command;
};

void usage(std::ostream &out) {
  out << "usage: kml-vmrun [--timeout SEC] [--log FILE] [--expect NAME]... "
         "[--verbose] [--qemu-monitor] -- QEMU-COMMAND...\n";
}

bool parseOptions(std::span<char *> args, Options &opts) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool hasValue = i + 1 < args.size();
    if (arg == "--") {
      opts.command.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (arg == "--verbose") {
      opts.verbose = true;
    } else if (arg == "--qemu-monitor") {
      opts.qemuMonitor = true;
    } else if (arg == "--timeout" && hasValue) {
      opts.timeoutSeconds = std::stoi(args[++i]);
    } else if (arg == "--log" && hasValue) {
      opts.logPath = args[++i];
    } else if (arg == "--expect" && hasValue) {
      opts.expected.emplace_back(args[++i]);
    } else {
      std::cerr << "kml-vmrun: unknown or incomplete option '" << arg << "'\n";
      return false;
    }
  }
  if (opts.command.empty()) {
    std::cerr << "kml-vmrun: no QEMU command after '--'\n";
    return false;
  }
  if (opts.timeoutSeconds <= 0) {
    std::cerr << "kml-vmrun: --timeout must be a positive number of seconds\n";
    return false;
  }
  return true;
}

// Lines worth showing live without --verbose: progress, results, reports.
bool isProgressLine(std::string_view line) {
  return line.starts_with("KML-TEST-BEGIN") || line.starts_with("ok ") ||
         line.starts_with("not ok ") ||
         line.starts_with(kml::vmrun::kHostRequestPrefix) ||
         !kml::vmrun::kernelReportKind(line).empty();
}

// Carries out one guest request through the monitor; what went wrong
// (a refused request, no monitor) is a problem of the run.
void serveHostRequest(const kml::vmrun::HostRequest &request,
                      QemuMonitor *monitor, std::ostream &log,
                      std::vector<std::string> &problems) {
  if (!request.error.empty()) {
    problems.push_back("the guest asked the host for " + request.error);
    return;
  }
  if (monitor == nullptr) {
    problems.push_back("the guest asked the host for '" +
                       request.monitorCommand +
                       "', but kml-vmrun runs without --qemu-monitor");
    return;
  }
  const std::string reply =
      monitor->send(request.monitorCommand, kMonitorReplyTimeout);
  log << "kml-vmrun: monitor: " << request.monitorCommand << ": "
      << (reply.empty() ? "done" : reply) << '\n';
}

int run(const Options &opts) {
  std::ofstream log(opts.logPath);
  if (!log) {
    std::cerr << "kml-vmrun: cannot write the guest log to " << opts.logPath
              << "\n";
    return kExitUsage;
  }
  GuestLog guest(opts.expected);
  std::vector<std::string> runnerProblems;

  std::optional<QemuMonitor> monitor;
  std::vector<std::string> command = opts.command;
  if (opts.qemuMonitor) {
    monitor.emplace();
    const auto extra = monitor->qemuArguments();
    command.insert(command.end(), extra.begin(), extra.end());
  }
  ChildProcess qemu(command);
  auto deadline = Clock::now() + std::chrono::seconds(opts.timeoutSeconds);
  bool sawEnd = false;
  std::string line;
  for (;;) {
    const auto status = qemu.readLine(line, deadline);
    if (status == ChildProcess::ReadStatus::EndOfOutput) {
      break;
    }
    if (status == ChildProcess::ReadStatus::TimedOut) {
      runnerProblems.push_back(
          sawEnd
              ? "the guest finished its tests but did not power off within " +
                    std::to_string(kPowerOffGrace.count()) + " s"
              : "timed out after " + std::to_string(opts.timeoutSeconds) +
                    " s: the guest hung or is too slow (see the log tail "
                    "below)");
      qemu.kill();
      break;
    }
    log << line << '\n';
    guest.addLine(line);
    if (const auto request = kml::vmrun::parseHostRequest(line)) {
      serveHostRequest(*request, monitor ? &*monitor : nullptr, log,
                       runnerProblems);
    }
    if (opts.verbose || isProgressLine(line)) {
      std::cout << "  | " << line << '\n' << std::flush;
    }
    if (!sawEnd && guest.runEnded()) {
      sawEnd = true;
      deadline = std::min(deadline, Clock::now() + kPowerOffGrace);
    }
  }
  if (const auto st = qemu.wait(Clock::now() + std::chrono::seconds(5)); !st) {
    runnerProblems.emplace_back(
        "QEMU closed its output but did not exit; killed it");
    qemu.kill();
  } else if (WIFEXITED(*st) && WEXITSTATUS(*st) != 0) {
    runnerProblems.push_back("QEMU exited with status " +
                             std::to_string(WEXITSTATUS(*st)));
  }
  log.flush();

  auto problems = guest.problems();
  int failed = guest.failedCount();
  for (auto &p : runnerProblems) {
    problems.push_back({p, {}});
    ++failed;
  }
  for (const auto &p : problems) {
    std::cout << "\nkml-vmrun: FAIL: " << p.summary << '\n';
    for (const auto &l : p.log) {
      std::cout << "  | " << l << '\n';
    }
  }
  if (!problems.empty()) {
    std::cout << "\nkml-vmrun: the whole guest log is in " << opts.logPath
              << '\n';
  }
  std::cout << "vm: " << guest.passedCount() << " passed, " << failed
            << " failed\n";
  return problems.empty() ? kExitPass : kExitFail;
}

} // namespace

int main(int argc, char **argv) {
  Options opts;
  try {
    if (!parseOptions(std::span<char *>(argv + 1, argv + argc), opts)) {
      usage(std::cerr);
      return kExitUsage;
    }
    return run(opts);
  } catch (const std::system_error &e) {
    std::cerr << "kml-vmrun: " << e.what() << '\n';
    return kExitUsage;
  } catch (const std::invalid_argument &e) {
    std::cerr << "kml-vmrun: bad number: " << e.what() << '\n';
    return kExitUsage;
  }
}
