// kml stats [PID | [--require-direct=PCT] -- CMD [ARGS...]]: how the
// system calls of ring-0 programs reached the kernel (direct entry, bypass
// entry, or a `syscall` instruction the rewriter left), from kml.ko's
// /sys/kernel/kml/programs. docs/syscall-shim.md, "Counting the paths".

#include "child_command.hpp"
#include "command.hpp"
#include "programs_file.hpp"
#include "stats_report.hpp"
#include "subcommands.hpp"

#include "kml/stats/coverage.hpp"
#include "kml/stats/programs_parser.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "stats [PID | [--require-direct=PCT] -- CMD [ARGS...]]";

// No counters to read (no kml.ko, or one without them): a state of the
// machine, not of the command's input, so neither a failed check (1) nor
// one of the sysexits codes; scripts can skip on 2.
constexpr int kExitNoCounters = 2;
// A command that could not be started, as shells report it.
constexpr int kExitNotFound = 127;
constexpr int kExitNotExecutable = 126;

using stats::ProgramRecord;
using Records = std::vector<ProgramRecord>;

struct StatsOptions {
  std::optional<std::int64_t> pid;
  std::optional<stats::Share> required;
  std::string requiredText; // as given, for the message
  std::vector<std::string_view> command;
};

int usageError(const std::string &message) {
  std::cerr << "kml stats: " << message << "\nusage: kml " << kUsage << "\n";
  return kExitUsage;
}

std::optional<std::int64_t> parsePid(std::string_view text) {
  std::int64_t pid = 0;
  const char *begin = text.data();
  const char *end = begin + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, pid);
  if (text.empty() || ec != std::errc() || ptr != end || pid <= 0) {
    return std::nullopt;
  }
  return pid;
}

// Returns the options, or an exit code after printing a usage error.
std::variant<StatsOptions, int> parse(Args args) {
  StatsOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--") {
      options.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                             args.end());
      if (options.command.empty()) {
        return usageError("'--' must be followed by a command");
      }
      break;
    }
    if (arg == "--require-direct" || arg.starts_with("--require-direct=")) {
      std::string_view value;
      if (arg.starts_with("--require-direct=")) {
        value = arg.substr(arg.find('=') + 1);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      }
      options.required = stats::parseShare(value);
      if (!options.required) {
        return usageError("--require-direct needs a percentage from 0 to 100 "
                          "(at most two decimals), not '" +
                          std::string(value) + "'");
      }
      options.requiredText = value;
    } else if (arg.starts_with("-")) {
      return usageError("unknown option '" + std::string(arg) + "'");
    } else if (options.pid) {
      return usageError("only one PID");
    } else {
      options.pid = parsePid(arg);
      if (!options.pid) {
        return usageError("'" + std::string(arg) + "' is not a PID");
      }
    }
  }
  if (options.pid && !options.command.empty()) {
    return usageError("give a PID or '-- CMD', not both");
  }
  if (options.required && options.command.empty()) {
    return usageError("--require-direct needs '-- CMD'");
  }
  return options;
}

// The records, or an exit code after saying why there are none.
std::variant<Records, int> load(const std::string &path) {
  try {
    return readProgramsFile(path);
  } catch (const ProgramsFileError &error) {
    std::cerr << "kml stats: " << error.what() << "\n";
    return kExitNoCounters;
  } catch (const stats::ParseError &error) {
    std::cerr << "kml stats: " << path << ": " << error.what() << "\n";
    return kExitDataErr;
  }
}

int showAll(const Records &records) {
  if (records.empty()) {
    std::cout << "no ring-0 program is running or has exited recently\n";
    return kExitOk;
  }
  printTable(std::cout, records);
  return kExitOk;
}

int showPid(const Records &records, std::int64_t pid) {
  bool found = false;
  // A pid can have several: a process that exec'd one ring-0 image after
  // another. File order is running first, then newest first.
  for (const ProgramRecord &record : records) {
    if (record.pid == pid) {
      printProgram(std::cout, record);
      found = true;
    }
  }
  if (!found) {
    std::cerr << "kml stats: no ring-0 program with pid " << pid
              << " (running or among the recently exited)\n";
    return kExitFailure;
  }
  return kExitOk;
}

// The highest seq listed; nothing when the list is empty, which says
// nothing about the seq to come: the kernel's count goes on across a
// reload of kml.ko, whose list starts empty.
std::optional<std::uint64_t> highestSeq(const Records &records) {
  std::optional<std::uint64_t> highest;
  for (const ProgramRecord &record : records) {
    highest = std::max(highest.value_or(0), record.seq);
  }
  return highest;
}

// Reports the programs exec'd after `since` on stderr (CMD's stdout stays
// clean) and returns whether the coverage requirement, if any, holds.
bool report(Records after, std::optional<std::uint64_t> since,
            const StatsOptions &options) {
  std::erase_if(after, [since](const ProgramRecord &r) {
    return r.seq <= since.value_or(0);
  });
  std::ranges::sort(after, {}, &ProgramRecord::seq); // exec order
  if (after.empty()) {
    std::cerr << "kml stats: no ring-0 program ran\n";
    return !options.required;
  }
  for (const ProgramRecord &record : after) {
    printProgram(std::cerr, record);
  }
  const stats::PathTotals totals = stats::totalsOf(after);
  std::cerr << "total: " << describeTotals(totals) << "\n";
  // seq numbers are consecutive: a gap is a program that dropped off the
  // kernel's list of recently exited ones (or out of its one page). With
  // no seq before the command, only the gaps between those listed count.
  const std::uint64_t first = since ? *since + 1 : after.front().seq;
  const std::uint64_t missing = after.back().seq + 1 - first - after.size();
  if (missing != 0) {
    std::cerr << "kml stats: " << missing
              << " of the programs exec'd meanwhile are no longer listed "
                 "(the kernel keeps the last 32 that exited); the total "
                 "leaves them out\n";
  }
  if (!options.required || stats::meets(totals, *options.required)) {
    return true;
  }
  if (totals.calls() == 0) {
    std::cerr << "kml stats: no system call was counted (required "
              << options.requiredText << "%)\n";
  } else {
    std::cerr << "kml stats: only "
              << stats::formatShare(stats::fastShare(totals)) << " of "
              << totals.calls() << " calls took the direct path (required "
              << options.requiredText << "%)\n";
  }
  return false;
}

int runAndReport(const std::string &path, const StatsOptions &options) {
  auto before = load(path);
  if (const int *code = std::get_if<int>(&before)) {
    return *code;
  }
  const std::optional<std::uint64_t> since =
      highestSeq(std::get<Records>(before));
  int status = 0;
  try {
    status = runCommand(options.command);
  } catch (const std::system_error &error) {
    std::cerr << "kml stats: " << error.what() << "\n";
    return error.code().value() == ENOENT ? kExitNotFound : kExitNotExecutable;
  }
  auto after = load(path);
  if (const int *code = std::get_if<int>(&after)) {
    return status != 0 ? status : *code;
  }
  const bool covered =
      report(std::move(std::get<Records>(after)), since, options);
  // The command's own failure says more than the coverage figure.
  if (status != 0) {
    return status;
  }
  return covered ? kExitOk : kExitFailure;
}

} // namespace

int runStats(Args args) {
  auto parsed = parse(args);
  if (const int *code = std::get_if<int>(&parsed)) {
    return *code;
  }
  const StatsOptions &options = std::get<StatsOptions>(parsed);
  const std::string path = programsFilePath();
  if (!options.command.empty()) {
    return runAndReport(path, options);
  }
  auto records = load(path);
  if (const int *code = std::get_if<int>(&records)) {
    return *code;
  }
  if (options.pid) {
    return showPid(std::get<Records>(records), *options.pid);
  }
  return showAll(std::get<Records>(records));
}

} // namespace kml
