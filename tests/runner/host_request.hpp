#pragma once
// What a guest test may ask of the host, and the host's way to do it.
//
// Some events only the machine can produce: a machine check. A guest test
// asks for one by printing a request line on its console,
//
//   KML-HOST-REQUEST mce CPU BANK STATUS MCGSTATUS ADDR MISC
//
// and kml-vmrun (with --qemu-monitor) turns it into QEMU's monitor command
// "mce CPU BANK STATUS MCGSTATUS ADDR MISC". Only the commands listed in
// parseHostRequest() exist, each with numeric arguments only, so a guest can
// never make the runner type anything else into the monitor.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kml::vmrun {

inline constexpr std::string_view kHostRequestPrefix = "KML-HOST-REQUEST ";

struct HostRequest {
  // The monitor command to send; empty when the request is refused.
  std::string monitorCommand;
  // Why the request was refused (empty when it was accepted).
  std::string error;
};

// Nothing for a line that is no request; otherwise the command or the
// reason it is refused (an unknown request, a wrong argument count, an
// argument that is not a decimal or 0x-hex number).
std::optional<HostRequest> parseHostRequest(std::string_view line);

// A QEMU human monitor on a pair of FIFOs (QEMU's "pipe" character
// device) in a private temporary directory: qemuArguments() go on QEMU's
// command line, send() types one command and returns what the monitor
// printed back. The destructor removes the FIFOs and the directory.
class QemuMonitor {
public:
  QemuMonitor();
  ~QemuMonitor();
  QemuMonitor(const QemuMonitor &) = delete;
  QemuMonitor &operator=(const QemuMonitor &) = delete;
  QemuMonitor(QemuMonitor &&) = delete;
  QemuMonitor &operator=(QemuMonitor &&) = delete;

  [[nodiscard]] std::vector<std::string> qemuArguments() const;

  // Writes `command` and a newline, then collects the monitor's output
  // until it prompts again or `timeout` passes, and returns its answer
  // (without the echoed command and the prompt; empty if it printed none).
  // Throws std::system_error when the FIFO cannot be written.
  std::string send(const std::string &command,
                   std::chrono::milliseconds timeout);

private:
  void removeAll() noexcept;
  std::string drain(std::chrono::milliseconds timeout, bool untilPrompt);

  std::string dir_;
  int toQemu_ = -1;
  int fromQemu_ = -1;
};

} // namespace kml::vmrun
