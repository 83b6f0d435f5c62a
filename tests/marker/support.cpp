#include "support.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>

namespace kml::test {

namespace {

std::string slurp(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

RunResult run(const std::vector<std::string> &argv,
              std::optional<uid_t> asUser) {
  // Output goes to files, not pipes: no risk of a full pipe blocking the
  // child while we wait for it.
  TempDir capture;
  const fs::path outPath = capture / "out";
  const fs::path errPath = capture / "err";
  std::vector<char *> cargv;
  cargv.reserve(argv.size() + 1);
  for (const auto &arg : argv) {
    cargv.push_back(const_cast<char *>(arg.c_str()));
  }
  cargv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    const int out = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    const int err = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) {
      ::_exit(126);
    }
    if (asUser && (::setgid(*asUser) != 0 || ::setuid(*asUser) != 0)) {
      ::_exit(126);
    }
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error("waitpid failed");
    }
  }
  RunResult result;
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = slurp(outPath);
  result.err = slurp(errPath);
  return result;
}

RunResult kml(const std::vector<std::string> &args,
              std::optional<uid_t> asUser) {
  std::vector<std::string> argv{KML_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, asUser);
}

std::vector<std::byte> readBytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

void writeBytes(const fs::path &path, const std::vector<std::byte> &bytes,
                fs::perms perms) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      throw std::runtime_error("cannot write " + path.string());
    }
  }
  fs::permissions(path, perms);
}

void copyFile(const fs::path &from, const fs::path &to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

fs::path program(const std::string &name) {
  return fs::path(KML_PROGRAMS_DIR) / name;
}

std::vector<std::string> runnablePrograms() {
  std::vector<std::string> names;
  std::stringstream list(KML_RUNNABLE_PROGRAMS);
  for (std::string name; std::getline(list, name, ',');) {
    names.push_back(name);
  }
  return names;
}

std::string paramName(const std::string &program) {
  std::string name = program;
  std::ranges::replace(name, '-', '_');
  return name;
}

FileSnapshot snapshot(const fs::path &path) {
  struct stat st = {};
  if (::stat(path.c_str(), &st) != 0) {
    throw std::runtime_error("cannot stat " + path.string());
  }
  return {st.st_ino, st.st_mode, readBytes(path)};
}

std::vector<std::string> listDir(const fs::path &dir) {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::ranges::sort(names);
  return names;
}

std::vector<std::size_t> differingOffsets(const std::vector<std::byte> &a,
                                          const std::vector<std::byte> &b) {
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] != b[i]) {
      offsets.push_back(i);
    }
  }
  return offsets;
}

} // namespace kml::test
