#include "kml/gate/approvals_sysfs.hpp"

#include <linux/kml_manifest.h>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstring>

namespace kml::gate {
namespace {

namespace fs = std::filesystem;
using Where = ApprovalsError::Where;

// The approvals file, open; the kernel's answer comes from write(), so
// close() has nothing left to say and its result is not needed.
class OpenApprovals {
public:
  OpenApprovals(const fs::path &file, int flags)
      : fd_(::open(file.c_str(), flags | O_CLOEXEC)) {
    if (fd_ >= 0) {
      return;
    }
    const int err = errno;
    if (err == ENOENT) {
      throw ApprovalsError(Where::ApprovalsFile, err,
                           file.string() + " does not exist: is kml.ko "
                                           "loaded?");
    }
    throw ApprovalsError(Where::ApprovalsFile, err,
                         "cannot open " + file.string() + ": " +
                             approvalsErrnoText(err));
  }
  OpenApprovals(const OpenApprovals &) = delete;
  OpenApprovals &operator=(const OpenApprovals &) = delete;
  OpenApprovals(OpenApprovals &&) = delete;
  OpenApprovals &operator=(OpenApprovals &&) = delete;
  ~OpenApprovals() { ::close(fd_); }
  [[nodiscard]] int get() const { return fd_; }

private:
  int fd_;
};

} // namespace

std::string approvalsErrnoText(int errnoValue) {
  switch (errnoValue) {
  case EACCES:
  case EPERM:
    return "not permitted: loading a list needs root (CAP_SYS_ADMIN), and "
           "none is taken once the policy is locked";
  case ENOKEY:
    return "signed by a key the kernel does not trust (add its "
           "certificate with `kml key enroll`)";
  case EBADMSG:
  case EKEYREJECTED:
    return "a bad signature, or not an approval list (`kml verify --list` "
           "says which)";
  case EKEYEXPIRED: // stale-generation's errno
    return "its generation is below /sys/kernel/kml/min_generation (sign "
           "the list again with a higher --generation)";
  case EFBIG:
    return "larger than the kernel reads (KML_APPROVALS_MAX_LEN, " +
           std::to_string(KML_APPROVALS_MAX_LEN) + " bytes)";
  case ENOENT:
    return "the kernel cannot find the file";
  default:
    return std::strerror(errnoValue);
  }
}

ApprovalsSysfs::ApprovalsSysfs(const fs::path &dir)
    : file_(dir / "approvals") {}

fs::path ApprovalsSysfs::load(const fs::path &list) const {
  std::error_code ec;
  fs::path path = fs::canonical(list, ec);
  if (ec) {
    throw ApprovalsError(Where::List, ec.value(),
                         "cannot find the list: " + ec.message());
  }
  // One line: a newline in the path would end it early, and the kernel
  // reads at most PATH_MAX bytes of a path.
  const std::string line = path.string() + "\n";
  if (path.string().find('\n') != std::string::npos) {
    throw ApprovalsError(Where::List, EINVAL,
                         path.string() + ": the path holds a newline, and the "
                                         "kernel reads one line");
  }
  if (line.size() > PATH_MAX) {
    throw ApprovalsError(Where::List, ENAMETOOLONG,
                         path.string() + ": " + std::strerror(ENAMETOOLONG));
  }
  const OpenApprovals fd(file_, O_WRONLY | O_TRUNC);
  // The whole line in one write(): sysfs hands each write to kml.ko as
  // one store, and its errno is the kernel's verdict on the list.
  const ssize_t written = ::write(fd.get(), line.data(), line.size());
  if (written < 0) {
    const int err = errno;
    throw ApprovalsError(Where::Kernel, err,
                         "the kernel refused " + path.string() + ": " +
                             approvalsErrnoText(err));
  }
  if (static_cast<std::size_t>(written) != line.size()) {
    throw ApprovalsError(Where::ApprovalsFile, EIO,
                         "short write to " + file_.string() + " (" +
                             std::to_string(written) + " of " +
                             std::to_string(line.size()) + " bytes)");
  }
  return path;
}

std::string ApprovalsSysfs::loaded() const {
  const OpenApprovals fd(file_, O_RDONLY);
  std::string text;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      throw ApprovalsError(Where::ApprovalsFile, err,
                           "cannot read " + file_.string() + ": " +
                               std::strerror(err));
    }
    if (n == 0) {
      return text;
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

} // namespace kml::gate
