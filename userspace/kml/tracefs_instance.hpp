#pragma once
// A tracefs instance of kml's own (/sys/kernel/tracing/instances/NAME): a
// trace buffer and event switches that no other user of tracefs sees or
// disturbs, removed again when the object goes. For `kml explain --trace`
// (docs/tracing.md); needs root and a kernel with tracefs.

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace kml {

class TracefsInstance {
public:
  // Makes the instance `name` under tracefs, mounting tracefs at
  // /sys/kernel/tracing first if nothing is mounted there. Throws
  // std::system_error saying what failed (no tracefs, not root, an
  // instance of that name already there).
  explicit TracefsInstance(std::string_view name);
  TracefsInstance(const TracefsInstance &) = delete;
  TracefsInstance &operator=(const TracefsInstance &) = delete;
  TracefsInstance(TracefsInstance &&) = delete;
  TracefsInstance &operator=(TracefsInstance &&) = delete;
  // Turns off what it turned on and removes the instance.
  ~TracefsInstance();

  // Whether the kernel has `system:event` at all.
  [[nodiscard]] bool hasEvent(std::string_view system,
                              std::string_view event) const;
  // Turns `system:event` on in this instance; throws std::system_error.
  void enable(std::string_view system, std::string_view event);
  // Records only the events of `pid` and, from now on, its children.
  void followProcess(pid_t pid);
  // The per-CPU buffer size, in KiB.
  void setBufferKib(unsigned kib);
  // The buffer as text (the `trace` file), and whether events were lost.
  [[nodiscard]] std::string readTrace() const;
  [[nodiscard]] bool lostEvents() const;

private:
  static void write(const std::filesystem::path &file, std::string_view text);

  std::filesystem::path dir_;
};

} // namespace kml
