// RAII wrappers for a file descriptor and a private, copy-on-write mapping
// of a whole file. libelf may convert data in place, so it gets a writable
// private view; the file itself is never modified.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

namespace kml::binval::detail {

class FileDescriptor {
public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
  ~FileDescriptor();
  int get() const { return fd_; }

private:
  int fd_;
};

class MappedFile {
public:
  // Throws Error naming the path and the system error.
  explicit MappedFile(const std::filesystem::path &path);
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;
  ~MappedFile();

  std::span<std::byte> bytes() const { return {data_, size_}; }

private:
  std::byte *data_ = nullptr; // the mapping this object owns
  std::size_t size_ = 0;
};

} // namespace kml::binval::detail
