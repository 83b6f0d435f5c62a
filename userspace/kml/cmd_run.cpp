// kml run [--ring0] [--kml-dir DIR] [--] PROGRAM [ARGS...]: start an
// unmodified dynamic program through a dynamic loader, with kml's
// rewritten libc first in its library path (docs/dynamic.md).
//
// glibc's ld.so runs a program named on its command line (`ld.so
// [--library-path DIR] [--argv0 NAME] PROGRAM ARGS`) as the kernel would,
// mapping PROGRAM and its libraries with mmap(). With --ring0 the loader
// is kml's: rewritten, marked and signed, so that the kernel starts it at
// CPL 0, and every file it then maps executable must be approved (an
// appended signature or a loaded approval list). Without --ring0 it is
// the program's own loader, at CPL 3 with the same libraries: the
// comparison.

#include "command.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_layout.hpp"
#include "kml/file_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace kml {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "run [--ring0] [--kml-dir DIR] [--] PROGRAM [ARGS...]";
constexpr std::string_view kDefaultDir = "/usr/lib/kml";
constexpr std::string_view kLoaderName = "ld-linux-x86-64.so.2";

struct RunOptions {
  bool ring0 = false;
  std::string dir;
  std::vector<std::string> command; // PROGRAM, then its arguments
};

std::optional<RunOptions> parse(Args args) {
  RunOptions options;
  const char *env = std::getenv("KML_DIR");
  options.dir = env != nullptr && *env != '\0' ? env : kDefaultDir;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--ring0") {
      options.ring0 = true;
    } else if (arg == "--kml-dir") {
      if (i + 1 == args.size()) {
        usageError("run", "--kml-dir needs a directory", kUsage);
        return std::nullopt;
      }
      options.dir = std::string(args[++i]);
    } else if (arg.starts_with("--kml-dir=")) {
      options.dir = std::string(arg.substr(10));
    } else if (arg == "--") {
      ++i;
      break;
    } else if (arg.starts_with("-")) {
      usageError("run", "unknown option '" + std::string(arg) + "'", kUsage);
      return std::nullopt;
    } else {
      break;
    }
  }
  if (i == args.size()) {
    usageError("run", "missing PROGRAM", kUsage);
    return std::nullopt;
  }
  for (; i < args.size(); ++i) {
    options.command.emplace_back(args[i]);
  }
  return options;
}

// PROGRAM as the shell would find it: a name with a slash as it is,
// another in PATH.
std::optional<fs::path> findProgram(const std::string &name) {
  if (name.find('/') != std::string::npos) {
    return fs::path(name);
  }
  const char *path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
  while (true) {
    const std::size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    std::error_code error;
    if (fs::is_regular_file(candidate, error) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string_view::npos) {
      return std::nullopt;
    }
    dirs.remove_prefix(colon + 1);
  }
}

// The program's own loader (its PT_INTERP), for a run at CPL 3.
std::string interpreterOf(const std::vector<std::byte> &bytes) {
  const ElfLayout layout(bytes);
  for (const Elf64_Phdr &ph : layout.programHeaders()) {
    if (ph.p_type == PT_INTERP && ph.p_filesz > 1 &&
        ph.p_offset + ph.p_filesz <= bytes.size()) {
      const auto *text =
          reinterpret_cast<const char *>(bytes.data() + ph.p_offset);
      return {text, strnlen(text, ph.p_filesz)};
    }
  }
  throw ElfError(ElfErrorKind::NotExecutable,
                 "a static program (no PT_INTERP): run it directly, its "
                 "marker decides the ring");
}

} // namespace

int runRun(Args args) {
  const auto options = parse(args);
  if (!options) {
    return kExitUsage;
  }
  const std::string &name = options->command.front();
  const auto program = findProgram(name);
  if (!program) {
    std::cerr << "kml run: " << name << ": not found in PATH\n";
    return kExitNoInput;
  }
  std::string loader;
  try {
    const std::string own = interpreterOf(readWholeFile(program->string()));
    loader =
        options->ring0 ? (fs::path(options->dir) / kLoaderName).string() : own;
  } catch (const ElfError &error) {
    return reportError("run", program->string(), error);
  } catch (const std::exception &error) {
    std::cerr << "kml run: " << program->string() << ": " << error.what()
              << "\n";
    return kExitNoInput;
  }
  if (::access(loader.c_str(), X_OK) != 0) {
    std::cerr << "kml run: " << loader << ": " << std::strerror(errno)
              << (options->ring0 ? " (kml's loader: make the library "
                                   "directory with `make dynroot`, or name "
                                   "it with --kml-dir)"
                                 : "")
              << "\n";
    return kExitUnavailable;
  }
  // Absolute, so that no PROGRAM can read as one of ld.so's options.
  std::vector<std::string> argv{loader,       "--library-path",
                                options->dir, "--argv0",
                                name,         fs::absolute(*program).string()};
  argv.insert(argv.end(), options->command.begin() + 1, options->command.end());
  std::vector<char *> cargv;
  cargv.reserve(argv.size() + 1);
  for (std::string &arg : argv) {
    cargv.push_back(arg.data());
  }
  cargv.push_back(nullptr);
  ::execv(loader.c_str(), cargv.data());
  const int error = errno;
  std::cerr << "kml run: " << loader
            << ": exec failed: " << std::strerror(error)
            << (options->ring0 ? " (kml.ko's reason is in the kernel log and "
                                 "/sys/kernel/kml/refused)"
                               : "")
            << "\n";
  return kExitFailure;
}

} // namespace kml
