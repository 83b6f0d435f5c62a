#include "explain_trace.hpp"

#include "function_symbols.hpp"
#include "output_session.hpp"
#include "syscall_names.hpp"
#include "trace_record.hpp"
#include "traced_calls.hpp"
#include "traced_command.hpp"
#include "tracefs_instance.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kCommand = "kml explain --trace";
// Per CPU: about 40,000 system call events and their exits.
constexpr unsigned kBufferKib = 4096;

int usageError(std::string_view message) {
  std::cerr << kCommand << ": " << message
            << "\nusage: kml explain --trace [--] CMD [ARGS...]\n";
  return kExitUsage;
}

// The file execvp() would run for `name`, for the symbol names.
std::filesystem::path resolveCommand(std::string_view name) {
  if (name.find('/') != std::string_view::npos) {
    return {name};
  }
  const char *path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::filesystem::path candidate =
        std::filesystem::path(dir.empty() ? "." : dir) / std::string(name);
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {name};
}

std::string callName(std::int64_t number) {
  std::ostringstream text;
  const auto name = number >= 0
                        ? syscallName(static_cast<std::uint32_t>(number))
                        : std::nullopt;
  text << (name ? std::string(*name) : std::string("?")) << " (" << number
       << ")";
  return text.str();
}

std::string micros(std::uint64_t ns) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1)
       << static_cast<double>(ns) / 1000.0;
  return text.str();
}

// The median cost of the calls on `path` that have one.
std::optional<std::uint64_t> medianCost(const TracedCalls &traced,
                                        TracedPath path) {
  std::vector<std::uint64_t> costs;
  for (const TracedCall &call : traced.calls) {
    if (call.path == path && call.costNs) {
      costs.push_back(*call.costNs);
    }
  }
  if (costs.empty()) {
    return std::nullopt;
  }
  const auto middle =
      costs.begin() + static_cast<std::ptrdiff_t>(costs.size() / 2);
  std::ranges::nth_element(costs, middle);
  return *middle;
}

void showExecs(const TracedCalls &traced, const OutputSession &out) {
  for (const TracedExec &exec : traced.execs) {
    std::ostream &os = out.stream();
    os << "exec " << exec.file << " (pid " << exec.pid << "): ";
    if (exec.verdict == "refused") {
      os << out.colour(Colour::Red, "refused") << ", " << exec.reason
         << " (errno " << -exec.error << ")\n";
    } else if (exec.verdict == "ring3") {
      os << "ring 3: its marker is disabled\n";
    } else {
      os << out.colour(Colour::Green, exec.verdict == "ring0-bypass"
                                          ? "ring 0, bypass entry"
                                          : "ring 0, direct entry")
         << " (" << exec.reason
         << (exec.assurance.empty() ? "" : ", assurance " + exec.assurance)
         << ")\n";
    }
  }
  for (const TracedRefusal &refusal : traced.refusals) {
    if (refusal.kind == "exec") {
      continue; // its exec line says it
    }
    out.stream() << out.colour(Colour::Red, "refused") << " " << refusal.kind
                 << " of " << refusal.name << " (pid " << refusal.pid
                 << "): " << refusal.reason
                 << (refusal.detail.empty() ? "" : ": " + refusal.detail)
                 << " (errno " << -refusal.error << ")\n";
  }
}

void showCalls(const TracedCalls &traced, const FunctionSymbols &symbols,
               const OutputSession &out) {
  if (traced.calls.empty()) {
    return;
  }
  const std::uint64_t start = traced.calls.front().timeNs;
  std::ostream &os = out.stream();
  os << "\n"
     << std::setw(10) << "time/us" << std::setw(7) << "pid"
     << "  path    " << std::left << std::setw(24) << "system call"
     << std::setw(20) << "= result" << std::right << std::setw(8) << "cost/us"
     << "  from\n";
  for (const TracedCall &call : traced.calls) {
    const bool slow = call.path == TracedPath::Slow;
    std::ostringstream result;
    if (call.result) {
      result << "= " << *call.result;
    }
    const std::string where = symbols.describe(call.site);
    std::ostringstream site;
    site << "0x" << std::hex << call.site;
    os << std::setw(10) << micros(call.timeNs - start) << std::setw(7)
       << call.pid << "  "
       << (slow ? out.colour(Colour::Yellow, "slow  ")
                : out.colour(Colour::Green, "direct"))
       << "  " << std::left << std::setw(24) << callName(call.number)
       << std::setw(20) << result.str() << std::right << std::setw(8)
       << (call.costNs ? micros(*call.costNs) : "-") << "  " << site.str()
       << (where.empty() ? "" : " (" + where + ")") << "\n";
  }
}

void showSummary(const TracedCalls &traced, const FunctionSymbols &symbols,
                 const OutputSession &out) {
  std::ostream &os = out.stream();
  const std::size_t direct = traced.count(TracedPath::Direct);
  const std::size_t slow = traced.count(TracedPath::Slow);
  os << "\nsummary: " << traced.calls.size()
     << " system calls at ring 0: " << direct << " direct, " << slow
     << " slow\n";
  for (const TracedPath path : {TracedPath::Direct, TracedPath::Slow}) {
    if (const auto median = medianCost(traced, path)) {
      os << "  median cost, " << (path == TracedPath::Slow ? "slow" : "direct")
         << ": " << micros(*median)
         << " us (from the call's event to its exit event, tracing "
            "included)\n";
    }
  }
  const auto sites = traced.slowSites();
  if (!sites.empty()) {
    os << "  slow sites, each a syscall instruction the rewriter left "
          "(`kml explain FILE` says why):\n";
  }
  for (const auto &[site, calls] : sites) {
    const std::string where = symbols.describe(site);
    os << "    0x" << std::hex << site << std::dec
       << (where.empty() ? "" : " (" + where + ")") << ": " << calls
       << (calls == 1 ? " call\n" : " calls\n");
  }
  const bool bypass =
      std::ranges::any_of(traced.execs, [](const TracedExec &exec) {
        return exec.verdict == "ring0-bypass";
      });
  if (bypass) {
    os << "  (the bypass entry answers getpid, getppid and gettid without "
          "kernel C; while traced it hands them to the direct entry, so they "
          "show as direct)\n";
  }
}

} // namespace

namespace {

// What a traced run left: the command's status and the instance's records.
struct TraceRun {
  int status = 0;
  std::vector<TraceRecord> records;
  bool lost = false;
};

// Runs the command in an instance of kml's own and reads what it saw; the
// instance is gone again when this returns, before anything is printed
// (a reader that goes away early cannot leave events on). Nothing when
// this kernel has no kml events (said on stderr).
std::optional<TraceRun> traceCommand(Args command) {
  TracefsInstance instance("kml-explain-" + std::to_string(::getpid()));
  if (!instance.hasEvent("kml", "kml_direct_syscall")) {
    std::cerr << kCommand
              << ": this kernel has no kml trace events: is it a kml "
                 "kernel with patch 0031 (docs/tracing.md)?\n";
    return std::nullopt;
  }
  const bool execEvents = instance.hasEvent("kml", "kml_exec");
  if (!execEvents) {
    std::cerr << kCommand
              << ": kml.ko is not loaded: no exec decisions to show\n";
  }
  instance.setBufferKib(kBufferKib);
  TracedCommand child(command);
  instance.followProcess(child.pid());
  instance.enable("kml", "kml_direct_syscall");
  instance.enable("kml", "kml_slow_syscall");
  if (execEvents) {
    instance.enable("kml", "kml_exec");
    instance.enable("kml", "kml_refused");
  }
  instance.enable("raw_syscalls", "sys_exit");
  TraceRun run;
  run.status = child.run();
  std::istringstream trace(instance.readTrace());
  for (std::string line; std::getline(trace, line);) {
    if (auto record = parseTraceLine(line)) {
      run.records.push_back(std::move(*record));
    }
  }
  run.lost = instance.lostEvents();
  return run;
}

} // namespace

int runExplainTrace(Args args) {
  std::size_t first = 0;
  if (!args.empty() && args.front() == "--") {
    first = 1;
  }
  if (first >= args.size()) {
    return usageError("missing the command to run");
  }
  const Args command = args.subspan(first);
  std::optional<TraceRun> run;
  try {
    run = traceCommand(command);
  } catch (const std::system_error &error) {
    std::cerr << kCommand << ": " << error.what() << "\n";
    return error.code().value() == ENOENT || error.code().value() == EACCES
               ? kExitNoInput
               : kExitUnavailable;
  }
  if (!run) {
    return kExitUnavailable;
  }
  const TracedCalls traced = collectTracedCalls(run->records);
  const FunctionSymbols symbols =
      FunctionSymbols::fromFile(resolveCommand(command.front()));
  const OutputSession out;
  out.stream() << "\n"
               << kCommand << ": " << command.front() << " exited "
               << run->status << "\n";
  showExecs(traced, out);
  showCalls(traced, symbols, out);
  showSummary(traced, symbols, out);
  if (run->lost) {
    out.stream() << "  some events were lost: the trace buffer (" << kBufferKib
                 << " KiB a CPU) filled up\n";
  }
  return kExitOk;
}

} // namespace kml
