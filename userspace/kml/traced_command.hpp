#pragma once
// A command started for tracing: forked, held before its exec until the
// tracer is ready for its pid, then let go. For `kml explain --trace`.

#include "command.hpp"

#include <sys/types.h>

namespace kml {

class TracedCommand {
public:
  // Forks a child that waits; args[0] is looked up in PATH at exec.
  // Throws std::system_error if it cannot fork.
  explicit TracedCommand(Args args);
  TracedCommand(const TracedCommand &) = delete;
  TracedCommand &operator=(const TracedCommand &) = delete;
  TracedCommand(TracedCommand &&) = delete;
  TracedCommand &operator=(TracedCommand &&) = delete;
  // Kills and reaps a child that was never let go or waited for.
  ~TracedCommand();

  [[nodiscard]] pid_t pid() const { return pid_; }
  // Lets it exec, and waits for it: its exit status, or 128 + the signal
  // that killed it. Throws std::system_error with the errno of an exec
  // that failed (ENOENT: no such command).
  int run();

private:
  pid_t pid_ = -1;
  int go_ = -1;        // closing it lets the child exec
  int execError_ = -1; // the child's errno if its exec fails, else EOF
  bool reaped_ = false;
};

} // namespace kml
