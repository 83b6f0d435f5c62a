#pragma once
// One line of a tracefs `trace` file, as the kernel prints it:
//
//   entry-probe.kml-93   [001] .....  12.345678: kml_direct_syscall: nr=110
//   site=0x4c3012 sp=0x7ffd5e8a1c18
//
// for `kml explain --trace`, which reads the kml events (docs/tracing.md)
// and raw_syscalls' sys_exit ("NR 110 = 92") of the command it runs.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace kml {

struct TraceRecord {
  std::string comm; // the task's name, as the kernel had it
  pid_t pid = 0;
  int cpu = 0;
  std::uint64_t timeNs = 0; // the trace clock, to the microsecond
  std::string event;        // "kml_exec", "sys_exit", ...
  // The event's fields: key=value pairs, a quoted value unquoted; for
  // sys_exit, "nr" and "ret".
  std::map<std::string, std::string, std::less<>> fields;

  // A field's value; "" if the event has no such field.
  [[nodiscard]] std::string_view field(std::string_view key) const;
  // A field as a number (decimal, or hex with 0x), if it is one.
  [[nodiscard]] std::optional<std::int64_t> number(std::string_view key) const;
};

// The record on one line of a `trace` file; nothing for a comment ("#"),
// a blank line or a line that is not an event line.
std::optional<TraceRecord> parseTraceLine(std::string_view line);

} // namespace kml
