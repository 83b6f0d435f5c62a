#include "programs_file.hpp"

#include "kml/stats/programs_parser.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace kml {
namespace {

struct FileCloser {
  void operator()(std::FILE *file) const {
    // Read-only: a failing close loses nothing. The unique_ptr owns file.
    // NOLINTNEXTLINE(cppcoreguidelines-owning-memory)
    static_cast<void>(std::fclose(file));
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

[[noreturn]] void fail(const std::string &path, int error) {
  std::string message = path + ": " + std::strerror(error);
  if (error == ENOENT) {
    message += " (is kml.ko loaded, version with per-program counters?)";
  } else if (error == EACCES) {
    // It names every user's programs and their code addresses.
    message += " (root only: run kml stats as root)";
  }
  throw ProgramsFileError(message);
}

} // namespace

std::string programsFilePath() {
  const char *dir =
      std::getenv("KML_SYSFS_DIR"); // NOLINT(concurrency-mt-unsafe)
  const std::string base =
      dir != nullptr && *dir != '\0' ? dir : "/sys/kernel/kml";
  return base + "/programs";
}

std::vector<stats::ProgramRecord> readProgramsFile(const std::string &path) {
  const File file(std::fopen(path.c_str(), "re"));
  if (!file) {
    fail(path, errno);
  }
  // sysfs produces the whole page on the first read; keep reading anyway,
  // the fake files of the tests are ordinary files.
  std::string text;
  std::array<char, 4096> buffer{};
  // Stop at the end or an error: reading on would be a read in the EOF or
  // error state.
  do {
    const std::size_t got =
        std::fread(buffer.data(), 1, buffer.size(), file.get());
    text.append(buffer.data(), got);
  } while (std::feof(file.get()) == 0 && std::ferror(file.get()) == 0);
  if (std::ferror(file.get()) != 0) {
    fail(path, errno);
  }
  return stats::parsePrograms(text);
}

} // namespace kml
