#include "tracefs_instance.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/mount.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace kml {
namespace {

const std::filesystem::path kTracefs = "/sys/kernel/tracing";

std::system_error failure(int error, const std::string &what) {
  return {error, std::generic_category(), what};
}

// tracefs, mounted where the kernel offers it if nobody has yet.
void ensureMounted() {
  std::error_code ignored;
  if (std::filesystem::exists(kTracefs / "instances", ignored)) {
    return;
  }
  if (::mount("tracefs", kTracefs.c_str(), "tracefs", 0, nullptr) != 0) {
    throw failure(errno, "cannot mount tracefs at " + kTracefs.string() +
                             " (root is needed, and a kernel with tracing)");
  }
}

std::string readFile(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in) {
    throw failure(errno, "cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TracefsInstance::TracefsInstance(std::string_view name) {
  ensureMounted();
  dir_ = kTracefs / "instances" / std::string(name);
  if (::mkdir(dir_.c_str(), 0700) != 0) {
    throw failure(errno, "cannot make the trace instance " + dir_.string());
  }
}

TracefsInstance::~TracefsInstance() {
  // Events first: tracefs refuses to remove an instance in use. Nothing
  // to report from a destructor; the instance is kml's alone.
  std::ofstream(dir_ / "events" / "enable") << "0";
  ::rmdir(dir_.c_str());
}

bool TracefsInstance::hasEvent(std::string_view system,
                               std::string_view event) const {
  std::error_code ignored;
  return std::filesystem::exists(dir_ / "events" / std::string(system) /
                                     std::string(event) / "enable",
                                 ignored);
}

void TracefsInstance::enable(std::string_view system, std::string_view event) {
  write(dir_ / "events" / std::string(system) / std::string(event) / "enable",
        "1");
}

void TracefsInstance::followProcess(pid_t pid) {
  write(dir_ / "options" / "event-fork", "1");
  write(dir_ / "set_event_pid", std::to_string(pid));
}

void TracefsInstance::setBufferKib(unsigned kib) {
  write(dir_ / "buffer_size_kb", std::to_string(kib));
}

std::string TracefsInstance::readTrace() const {
  return readFile(dir_ / "trace");
}

bool TracefsInstance::lostEvents() const {
  // Each CPU's stats: "overrun: N" counts events the ring buffer wrote
  // over, "dropped events: N" those it had no room for.
  std::error_code error;
  for (const auto &cpu :
       std::filesystem::directory_iterator(dir_ / "per_cpu", error)) {
    std::istringstream stats(readFile(cpu.path() / "stats"));
    for (std::string line; std::getline(stats, line);) {
      for (const std::string_view key : {"overrun: ", "dropped events: "}) {
        if (line.starts_with(key) && line.substr(key.size()) != "0") {
          return true;
        }
      }
    }
  }
  return false;
}

void TracefsInstance::write(const std::filesystem::path &file,
                            std::string_view text) {
  std::ofstream out(file);
  out << text;
  out.flush();
  if (!out) {
    throw failure(errno == 0 ? EIO : errno, "cannot write " + file.string());
  }
}

} // namespace kml
