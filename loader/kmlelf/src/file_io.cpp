#include "kml/file_io.hpp"

#include "kml/elf_error.hpp"
#include "kml/text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace kml {
namespace {

std::string errnoText(int err) { return std::strerror(err); }

// An owned file descriptor, closed on scope exit.
class FileDescriptor {
public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // close() reports deferred write errors (NFS, quota), so the commit path
  // calls it explicitly instead of leaving it to the destructor.
  int close() { return ::close(std::exchange(fd_, -1)); }

private:
  int fd_;
};

// A temporary file next to the target, removed on scope exit unless it was
// renamed into place.
class TempFile {
public:
  explicit TempFile(const std::filesystem::path &target)
      : path_(target.string() + ".kml-XXXXXX"), fd_(create(path_, target)) {}
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;
  ~TempFile() {
    if (!path_.empty()) {
      ::unlink(path_.c_str());
    }
  }
  int fd() const { return fd_.get(); }
  const std::string &path() const { return path_; }
  int close() { return fd_.close(); }
  void renameOver(const std::filesystem::path &target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      const int err = errno;
      throw ElfError(ElfErrorKind::WriteFailed,
                     cat("cannot rename ", path_, " to ", target.string(), ": ",
                         errnoText(err)));
    }
    path_.clear();
  }

private:
  // mkstemp() replaces the pattern's XXXXXX with the name it created.
  static int create(std::string &pattern, const std::filesystem::path &target) {
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) {
      const int err = errno;
      throw ElfError(ElfErrorKind::WriteFailed,
                     cat("cannot create a temporary file next to ",
                         target.string(), ": ", errnoText(err)));
    }
    return fd;
  }

  std::string path_; // before fd_: create() writes the name into it
  FileDescriptor fd_;
};

[[noreturn]] void writeFailed(const std::string &what, int err) {
  throw ElfError(ElfErrorKind::WriteFailed, cat(what, ": ", errnoText(err)));
}

void writeAll(int fd, std::span<const std::byte> bytes,
              const std::string &name) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      writeFailed(cat("cannot write ", name), errno);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
}

// Makes the rename durable; a failure here is reported because the caller
// cannot otherwise know that a crash could undo the update.
void syncDirectory(const std::filesystem::path &dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) {
    writeFailed(cat("cannot sync directory ", dir.string()), errno);
  }
}

} // namespace

std::vector<std::byte> readWholeFile(const std::filesystem::path &path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st = {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0) {
    const int err = errno;
    throw ElfError(ElfErrorKind::Unreadable,
                   cat("cannot open ", path.string(), ": ", errnoText(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    throw ElfError(ElfErrorKind::Unreadable,
                   cat(path.string(), " is not a regular file"));
  }
  std::vector<std::byte> bytes(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int err = errno;
      throw ElfError(ElfErrorKind::Unreadable,
                     cat("cannot read ", path.string(), ": ", errnoText(err)));
    }
    if (n == 0) {
      bytes.resize(done); // shrank while we read: take what is there
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

mode_t fileMode(const std::filesystem::path &path) {
  struct stat st = {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    throw ElfError(ElfErrorKind::Unreadable,
                   cat("cannot stat ", path.string(), ": ", errnoText(err)));
  }
  return st.st_mode & 07777;
}

void writeFileAtomically(const std::filesystem::path &target,
                         std::span<const std::byte> bytes, mode_t mode) {
  // Write through a symlink rather than replacing the link itself.
  std::error_code ec;
  std::filesystem::path resolved = target;
  if (std::filesystem::symlink_status(target, ec).type() ==
      std::filesystem::file_type::symlink) {
    resolved = std::filesystem::canonical(target, ec);
    if (ec) {
      throw ElfError(
          ElfErrorKind::WriteFailed,
          cat("cannot resolve ", target.string(), ": ", ec.message()));
    }
  }
  std::filesystem::path dir = resolved.parent_path();
  if (dir.empty()) {
    dir = ".";
  }

  TempFile temp(resolved);
  writeAll(temp.fd(), bytes, temp.path());
  // Keep the owner of a file we replace (only root can give it away; for
  // anyone else the temporary file is already theirs). chown clears the
  // set-id bits, so the mode comes after it.
  struct stat old = {};
  if (::stat(resolved.c_str(), &old) == 0) {
    [[maybe_unused]] const int ignored =
        ::fchown(temp.fd(), old.st_uid, old.st_gid);
  }
  if (::fchmod(temp.fd(), mode) != 0) {
    writeFailed(cat("cannot set the mode of ", temp.path()), errno);
  }
  if (::fsync(temp.fd()) != 0) {
    writeFailed(cat("cannot sync ", temp.path()), errno);
  }
  if (temp.close() != 0) {
    writeFailed(cat("cannot close ", temp.path()), errno);
  }
  temp.renameOver(resolved);
  syncDirectory(dir);
}

} // namespace kml
