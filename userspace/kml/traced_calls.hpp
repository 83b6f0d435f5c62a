#pragma once
// What `kml explain --trace` saw, as data: the kml trace events of one
// command (docs/tracing.md) paired with raw_syscalls' exits, gathered
// from the records of a tracefs instance that followed the command.

#include "trace_record.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kml {

// How a traced call entered the kernel: a kml_direct_syscall or a
// kml_slow_syscall event. (A bypass getter shows as Direct while traced.)
enum class TracedPath { Direct, Slow };

struct TracedCall {
  std::uint64_t timeNs = 0;
  pid_t pid = 0;
  std::string comm;
  TracedPath path = TracedPath::Direct;
  std::int64_t number = 0;
  std::uint64_t site = 0; // the syscall instruction, or the return address
  // From the task's next sys_exit with the same number: the result and
  // the time between the two events. Nothing for a call that did not
  // return (exit, a successful execve) or whose exit was not seen.
  std::optional<std::int64_t> result;
  std::optional<std::uint64_t> costNs;
};

// A kml_exec event: what exec decided about a marked program.
struct TracedExec {
  pid_t pid = 0;
  std::string file, verdict, reason, assurance;
  std::int64_t error = 0;
};

// A kml_refused event.
struct TracedRefusal {
  pid_t pid = 0;
  std::string kind, name, reason, detail;
  std::int64_t error = 0;
};

struct TracedCalls {
  std::vector<TracedCall> calls; // in the order they were made
  std::vector<TracedExec> execs;
  std::vector<TracedRefusal> refusals;

  [[nodiscard]] std::size_t count(TracedPath path) const;
  // The slow calls counted by site, most first.
  [[nodiscard]] std::vector<std::pair<std::uint64_t, std::size_t>>
  slowSites() const;
};

// Builds the model from a `trace` file's records, in their order.
TracedCalls collectTracedCalls(const std::vector<TraceRecord> &records);

} // namespace kml
