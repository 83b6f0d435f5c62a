#include "mapped_file.hpp"

#include "kml/binary_validator.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kml::binval::detail {
namespace {

[[noreturn]] void fail(const std::filesystem::path &path, const char *what) {
  throw Error(path.string() + ": " + what + ": " + std::strerror(errno));
}

} // namespace

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0)
    ::close(fd_);
}

MappedFile::MappedFile(const std::filesystem::path &path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    fail(path, "cannot open");
  struct stat info{};
  if (::fstat(fd.get(), &info) != 0)
    fail(path, "cannot stat");
  if (!S_ISREG(info.st_mode))
    throw Error(path.string() + ": not a regular file");
  if (info.st_size == 0)
    throw Error(path.string() + ": file is empty, not an ELF file");
  size_ = static_cast<std::size_t>(info.st_size);
  void *map =
      ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd.get(), 0);
  if (map == MAP_FAILED)
    fail(path, "cannot map");
  data_ = static_cast<std::byte *>(map);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr)
    ::munmap(data_, size_);
}

} // namespace kml::binval::detail
