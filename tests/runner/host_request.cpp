#include "host_request.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kml::vmrun {
namespace {

constexpr std::string_view kMonitorPrompt = "(qemu) ";

[[noreturn]] void throwErrno(int err, const std::string &what) {
  throw std::system_error(err, std::generic_category(), what);
}

bool isNumber(std::string_view word) {
  std::string_view digits = word;
  bool hex = false;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    digits.remove_prefix(2);
    hex = true;
  }
  if (digits.empty() || digits.size() > 16) {
    return false;
  }
  return std::ranges::all_of(digits, [hex](char c) {
    return (c >= '0' && c <= '9') ||
           (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
  });
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto start = text.find_first_not_of(" \t\r");
    if (start == std::string_view::npos) {
      break;
    }
    text.remove_prefix(start);
    const auto end = text.find_first_of(" \t\r");
    out.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end);
  }
  return out;
}

// The requests a guest may make: name and number of numeric arguments.
struct KnownRequest {
  std::string_view name;
  std::size_t arguments;
};
constexpr std::array<KnownRequest, 1> kKnownRequests{{
    {"mce", 6}, // CPU BANK STATUS MCGSTATUS ADDR MISC
}};

} // namespace

std::optional<HostRequest> parseHostRequest(std::string_view line) {
  if (!line.starts_with(kHostRequestPrefix)) {
    return std::nullopt;
  }
  const auto args = words(line.substr(kHostRequestPrefix.size()));
  HostRequest request;
  if (args.empty()) {
    request.error = "an empty host request";
    return request;
  }
  const KnownRequest *known = nullptr;
  for (const auto &k : kKnownRequests) {
    if (k.name == args[0]) {
      known = &k;
    }
  }
  if (known == nullptr) {
    request.error = "an unknown host request '" + std::string(args[0]) + "'";
    return request;
  }
  if (args.size() != known->arguments + 1) {
    request.error = "host request '" + std::string(known->name) + "' takes " +
                    std::to_string(known->arguments) + " arguments, got " +
                    std::to_string(args.size() - 1);
    return request;
  }
  std::string command(known->name);
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (!isNumber(args[i])) {
      request.error = "host request '" + std::string(known->name) +
                      "': argument " + std::to_string(i) + " ('" +
                      std::string(args[i]) + "') is not a number";
      return request;
    }
    command += ' ';
    command += args[i];
  }
  request.monitorCommand = std::move(command);
  return request;
}

QemuMonitor::QemuMonitor() {
  const char *tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr ? tmp : "/tmp") + "/kml-vmrun-monitor.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throwErrno(errno, "mkdtemp " + pattern);
  }
  dir_ = pattern;
  const std::string base = dir_ + "/monitor";
  for (const char *suffix : {".in", ".out"}) {
    if (mkfifo((base + suffix).c_str(), 0600) != 0) {
      const int err = errno;
      unlink((base + ".in").c_str());
      rmdir(dir_.c_str());
      throwErrno(err, "mkfifo " + base + suffix);
    }
  }
  // Read-write opens never block on a FIFO, whoever opens the other end
  // first; QEMU opens both ends the same way.
  toQemu_ = open((base + ".in").c_str(), O_RDWR | O_CLOEXEC);
  fromQemu_ = open((base + ".out").c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (toQemu_ < 0 || fromQemu_ < 0) {
    const int err = errno;
    removeAll();
    throwErrno(err, "open " + base + ".in/.out");
  }
}

QemuMonitor::~QemuMonitor() { removeAll(); }

void QemuMonitor::removeAll() noexcept {
  if (toQemu_ >= 0) {
    close(toQemu_);
    toQemu_ = -1;
  }
  if (fromQemu_ >= 0) {
    close(fromQemu_);
    fromQemu_ = -1;
  }
  if (!dir_.empty()) {
    unlink((dir_ + "/monitor.in").c_str());
    unlink((dir_ + "/monitor.out").c_str());
    rmdir(dir_.c_str());
    dir_.clear();
  }
}

std::vector<std::string> QemuMonitor::qemuArguments() const {
  return {"-chardev", "pipe,id=kmlmon,path=" + dir_ + "/monitor", "-mon",
          "chardev=kmlmon,mode=readline"};
}

std::string QemuMonitor::drain(std::chrono::milliseconds timeout,
                               bool untilPrompt) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string out;
  std::array<char, 4096> buf{};
  for (;;) {
    const auto left = std::max<std::chrono::milliseconds::rep>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(
               deadline - std::chrono::steady_clock::now())
               .count());
    pollfd pfd{fromQemu_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left)) <= 0) {
      break;
    }
    const ssize_t n = read(fromQemu_, buf.data(), buf.size());
    if (n <= 0) {
      break;
    }
    out.append(buf.data(), static_cast<std::size_t>(n));
    if (untilPrompt && out.ends_with(kMonitorPrompt)) {
      break;
    }
  }
  return out;
}

std::string QemuMonitor::send(const std::string &command,
                              std::chrono::milliseconds timeout) {
  // What the monitor printed before (its banner, old prompts) is not the
  // answer to this command.
  drain(std::chrono::milliseconds(0), false);
  const std::string line = command + "\n";
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t n = write(toQemu_, rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throwErrno(errno, "write to the QEMU monitor");
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  // The readline monitor echoes the command (with cursor movements) up to
  // a newline, prints its answer, and prompts again: keep the answer.
  std::string reply = drain(timeout, true);
  const auto echoEnd = reply.find('\n');
  reply.erase(0, echoEnd == std::string::npos ? reply.size() : echoEnd + 1);
  if (reply.ends_with(kMonitorPrompt)) {
    reply.resize(reply.size() - kMonitorPrompt.size());
  }
  std::erase(reply, '\r');
  while (reply.ends_with('\n')) {
    reply.pop_back();
  }
  return reply;
}

} // namespace kml::vmrun
