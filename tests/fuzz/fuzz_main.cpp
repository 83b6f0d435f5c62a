// kml-elf-fuzz: feeds mutants of real ELF executables (tests/fuzz/
// elf_mutator.hpp) to `kml inspect`, `kml mark`, `kml rewrite` and
// `kml-verify --binary`, normally built with ASan and UBSan, and checks
// that each ends well (oracle.hpp) and leaves no half-written file behind.
// docs/fuzzing.md describes the checks; `kml-elf-fuzz --help` the options.

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/fuzz/elf_mutator.hpp"
#include "kml/marker_edit.hpp"
#include "oracle.hpp"
#include "tool_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace kml::fuzz {
namespace {

namespace fs = std::filesystem;

// rwxr-xr-x, by name: a cast from 0755 is outside the enum's named values.
constexpr fs::perms kExecutable =
    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
    fs::perms::others_read | fs::perms::others_exec;
using Clock = std::chrono::steady_clock;

constexpr int kExitUsage = 2;

struct Options {
  std::string kml = KML_FUZZ_KML;
  std::string verify = KML_FUZZ_VERIFY;
  std::vector<std::string> seeds;
  std::uint64_t runSeed = 1;
  std::uint64_t first = 0;
  std::optional<std::uint64_t> count;
  double seconds = 0;
  unsigned jobs = 1;
  std::uint64_t leaks = 4; // LeakSanitizer on every Nth mutant
  double timeout = 120;
  std::string keep = "fuzz-failures";
  bool verbose = false;
};

void printHelp(std::ostream &out) {
  out << "usage: kml-elf-fuzz [options] [SEED_FILE...]\n\n"
         "Mutates the seed files (default: the test programs of this "
         "build) and runs\n`kml inspect`, `kml mark`, `kml rewrite` and "
         "`kml-verify --binary` on each\nmutant; fails on a crash, a "
         "sanitizer report, an undocumented exit status,\na bad error "
         "message or a file left behind. Deterministic: mutant I of seed "
         "S\nis always the same file.\n\n"
         "  --count N      mutants to try (default 1000 unless --seconds)\n"
         "  --seconds S    try mutants until S seconds have passed\n"
         "  --first I      index of the first mutant (default 0)\n"
         "  --seed S       run seed (default 1)\n"
         "  --jobs J       mutants in parallel (default 1)\n"
         "  --timeout S    per command (default 120)\n"
         "  --leaks N      leak checking on every Nth mutant (default 4; it\n"
         "                 doubles the cost of a run)\n"
         "  --kml PATH     the kml command (default: the ASan build)\n"
         "  --kml-verify PATH  kml-verify ('' to skip it)\n"
         "  --keep DIR     where failing mutants are saved "
         "(default fuzz-failures)\n"
         "  --verbose      one line per mutant\n";
}

template <class T> std::optional<T> number(std::string_view text) {
  T value{};
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<Options> parse(int argc, char **argv) {
  Options options;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 == args.size()) {
        std::cerr << "kml-elf-fuzz: " << arg << " needs a value\n";
        return std::nullopt;
      }
      return args[++i];
    };
    auto numeric = [&]<class T>(T &out) {
      const auto text = value();
      const auto parsed = text ? number<T>(*text) : std::nullopt;
      if (!parsed) {
        if (text) {
          std::cerr << "kml-elf-fuzz: bad number for " << arg << "\n";
        }
        return false;
      }
      out = *parsed;
      return true;
    };
    bool ok = true;
    if (arg == "--help" || arg == "-h") {
      printHelp(std::cout);
      std::exit(0);
    } else if (arg == "--count") {
      std::uint64_t count = 0;
      ok = numeric(count);
      options.count = count;
    } else if (arg == "--seconds") {
      ok = numeric(options.seconds);
    } else if (arg == "--first") {
      ok = numeric(options.first);
    } else if (arg == "--seed") {
      ok = numeric(options.runSeed);
    } else if (arg == "--jobs") {
      ok = numeric(options.jobs) && options.jobs > 0;
    } else if (arg == "--leaks") {
      ok = numeric(options.leaks) && options.leaks > 0;
    } else if (arg == "--timeout") {
      ok = numeric(options.timeout);
    } else if (arg == "--kml" || arg == "--kml-verify" || arg == "--keep") {
      const auto text = value();
      ok = text.has_value();
      if (text && arg == "--kml") {
        options.kml = std::string(*text);
      } else if (text && arg == "--kml-verify") {
        options.verify = std::string(*text);
      } else if (text) {
        options.keep = std::string(*text);
      }
    } else if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg.starts_with("-")) {
      std::cerr << "kml-elf-fuzz: unknown option '" << arg << "'\n";
      ok = false;
    } else {
      options.seeds.emplace_back(arg);
    }
    if (!ok) {
      return std::nullopt;
    }
  }
  if (options.seeds.empty()) {
    std::stringstream list(KML_FUZZ_SEEDS);
    for (std::string path; std::getline(list, path, ':');) {
      if (!path.empty()) {
        options.seeds.push_back(path);
      }
    }
  }
  if (!options.count && options.seconds <= 0) {
    options.count = 1000;
  }
  return options;
}

struct Seed {
  std::string path;
  std::vector<std::byte> bytes;
};

std::vector<std::byte> readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

void writeFile(const fs::path &path, std::span<const std::byte> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  fs::permissions(path, kExecutable);
}

// How `kml mark` is asked to mark mutant I: four variants in turn.
struct MarkVariant {
  bool inPlace = false;
  FlagChange change;
  std::vector<std::string> flags;
};

MarkVariant markVariant(std::uint64_t index) {
  switch (index % 4) {
  case 0:
    return {false, flagChange(KML_NOTE_F_ENABLE, true), {}};
  case 1:
    return {false, flagChange(KML_NOTE_F_ENABLE, false), {"--disable"}};
  case 2:
    return {true, flagChange(KML_NOTE_F_ENABLE, true), {}};
  default:
    return {false,
            {.set = KML_NOTE_F_ENABLE | KML_NOTE_F_BYPASS, .clear = 0},
            {"--bypass"}};
  }
}

// The marker a successful mark or rewrite must have written, read back
// with the library the tools use. "" when it is right.
std::string checkMarkedOutput(std::span<const std::byte> bytes,
                              const FlagChange &change, bool idempotent) {
  try {
    const ElfImage image({bytes.begin(), bytes.end()});
    const auto &marker = image.marker();
    if (!marker) {
      return "the output has no KML marker";
    }
    if (change.applyTo(marker->desc.flags) != marker->desc.flags) {
      return "the output's marker flags are " +
             std::to_string(marker->desc.flags);
    }
    if (idempotent && !std::ranges::equal(withMarker(image, change), bytes)) {
      return "marking the output again changes it";
    }
  } catch (const ElfError &error) {
    return std::string("kml refuses its own output: ") + error.what();
  }
  return "";
}

struct Stats {
  std::mutex lock;
  std::uint64_t files = 0;
  std::uint64_t commands = 0;
  std::uint64_t failures = 0;
  std::map<std::string, std::uint64_t> perSeed;
  std::map<std::string, std::uint64_t> outcomes; // "mark: exit 65"
  std::map<std::string, std::uint64_t> messages; // "mark: normalized reason"
  std::map<std::string, double> seconds;         // wall time by command
};

class Fuzzer {
public:
  Fuzzer(const Options &options, std::vector<Seed> seeds, fs::path work)
      : options_(options), seeds_(std::move(seeds)), work_(std::move(work)) {}

  void run(unsigned job, std::atomic<std::uint64_t> &next, std::uint64_t end,
           Clock::time_point deadline) {
    const fs::path dir = work_ / ("job" + std::to_string(job));
    const fs::path capture = work_ / ("capture" + std::to_string(job));
    fs::create_directories(capture);
    for (;;) {
      const std::uint64_t index = next++;
      if (index >= end || Clock::now() >= deadline) {
        return;
      }
      fs::remove_all(dir);
      fs::create_directories(dir);
      try {
        one(index, dir, capture);
      } catch (const std::runtime_error &error) {
        std::cerr << "kml-elf-fuzz: " << error.what() << "\n";
        std::exit(kExitUsage);
      }
    }
  }

  Stats &stats() { return stats_; }

private:
  const Seed &seedFor(std::uint64_t index) const {
    return seeds_[rngFor(options_.runSeed ^ 0x5eedULL, index)
                      .below(seeds_.size())];
  }

  void one(std::uint64_t index, const fs::path &dir, const fs::path &capture) {
    const Seed &seed = seedFor(index);
    const Mutant mutant = mutate(seed.bytes, options_.runSeed, index);
    const fs::path input = dir / "input";
    writeFile(input, mutant.bytes);
    const MarkVariant variant = markVariant(index);
    const fs::path markTarget = variant.inPlace ? dir / "copy" : dir / "input";
    if (variant.inPlace) {
      writeFile(markTarget, mutant.bytes);
    }
    const fs::path markOut = variant.inPlace ? markTarget : dir / "mark.out";
    const fs::path rewriteOut = dir / "rewrite.out";
    std::vector<Invocation> runs;
    std::vector<std::string> inspect = {options_.kml, "inspect", input};
    if (index % 2 != 0) {
      inspect.emplace_back("--json");
    }
    runs.push_back({{Tool::Kml, "inspect", input}, inspect});
    std::vector<std::string> mark = {options_.kml, "mark", markTarget};
    if (!variant.inPlace) {
      mark.insert(mark.end(), {"-o", markOut});
    }
    mark.insert(mark.end(), variant.flags.begin(), variant.flags.end());
    runs.push_back({{Tool::Kml, "mark", markTarget}, mark});
    runs.push_back(
        {{Tool::Kml, "rewrite", input},
         {options_.kml, "rewrite", input, "-o", rewriteOut, "--quiet"}});
    if (!options_.verify.empty()) {
      runs.push_back({{Tool::Verify, "verify", input},
                      {options_.verify, "--binary", input}});
    }
    const std::vector<ToolResult> results = runTogether(
        runs, capture, options_.timeout, index % options_.leaks == 0);

    std::vector<std::string> problems;
    auto problem = [&](const std::string &who, const std::string &what) {
      problems.push_back(who + ": " + what);
    };
    auto ok = [&](std::size_t i) {
      return results[i].exitCode && *results[i].exitCode == 0;
    };
    for (std::size_t i = 0; i < runs.size(); ++i) {
      for (const auto &what : judge(runs[i].command, results[i])) {
        problem(runs[i].command.name, what);
      }
    }
    // Inspect, mark and rewrite read the input the same way: what one
    // refuses, the others refuse with the same words.
    const std::string inspectReason =
        refusalReason(runs[0].command, results[0]);
    for (std::size_t i = 1; i < 3 && !inspectReason.empty(); ++i) {
      const std::string reason = refusalReason(runs[i].command, results[i]);
      if (reason != inspectReason) {
        std::string message = "inspect refused the file ('";
        message += inspectReason;
        message += "') but this said '";
        message += reason;
        message += "'";
        problem(runs[i].command.name, message);
      }
    }
    // Files: the input untouched, outputs only from commands that
    // succeeded, and nothing else (no temporary files).
    std::vector<std::string> expected = {"input"};
    if (readFile(input) != mutant.bytes) {
      problem("input", "changed by a command that should only read it");
    }
    if (variant.inPlace) {
      expected.emplace_back("copy");
      if (!ok(1) && readFile(markTarget) != mutant.bytes) {
        problem("mark", "failed but changed the file it was to mark");
      }
    } else if (ok(1)) {
      expected.emplace_back("mark.out");
    }
    if (ok(2)) {
      expected.emplace_back("rewrite.out");
    }
    std::vector<std::string> present;
    for (const auto &entry : fs::directory_iterator(dir)) {
      present.push_back(entry.path().filename());
    }
    std::ranges::sort(expected);
    std::ranges::sort(present);
    for (const auto &name : present) {
      if (!std::ranges::binary_search(expected, name)) {
        problem("files", "left behind: " + name);
      }
    }
    for (const auto &name : expected) {
      if (!std::ranges::binary_search(present, name)) {
        problem("files", "exit 0 but no " + name);
      }
    }
    if (ok(1) && fs::exists(markOut)) {
      if (auto what =
              checkMarkedOutput(readFile(markOut), variant.change, true);
          !what.empty()) {
        problem("mark", what);
      }
    }
    if (ok(2) && fs::exists(rewriteOut)) {
      if (auto what = checkMarkedOutput(
              readFile(rewriteOut), flagChange(KML_NOTE_F_ENABLE, true), false);
          !what.empty()) {
        problem("rewrite", what);
      }
    }
    record(index, seed, mutant, runs, results, problems);
  }

  void record(std::uint64_t index, const Seed &seed, const Mutant &mutant,
              const std::vector<Invocation> &runs,
              const std::vector<ToolResult> &results,
              const std::vector<std::string> &problems) {
    std::ostringstream report;
    report << "mutant " << index << " of seed " << seed.path << " (run seed "
           << options_.runSeed << ", " << mutant.bytes.size() << " bytes)\n";
    for (const auto &step : mutant.steps) {
      report << "  " << step << "\n";
    }
    const std::lock_guard guard(stats_.lock);
    ++stats_.files;
    ++stats_.perSeed[seed.path];
    if (options_.seconds > 0 && stats_.files % 1000 == 0) {
      std::cout << "kml-elf-fuzz: " << stats_.files << " files, "
                << stats_.failures << " failures so far\n"
                << std::flush;
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const Command &command = runs[i].command;
      const ToolResult &r = results[i];
      ++stats_.commands;
      std::string outcome = "signal " + std::to_string(r.signal);
      if (r.timedOut) {
        outcome = "timeout";
      } else if (r.exitCode) {
        outcome = "exit " + std::to_string(*r.exitCode);
      }
      ++stats_.outcomes[command.name + ": " + outcome];
      stats_.seconds[command.name] += r.seconds;
      if (const std::string reason = refusalReason(command, r);
          !reason.empty()) {
        ++stats_.messages[command.name + ": " + normalizeReason(reason)];
      }
      report << "  " << command.name << ": " << outcome << "\n";
      if (!r.err.empty()) {
        report << "    stderr: " << r.err.substr(0, 4000)
               << (r.err.ends_with('\n') ? "" : "\n");
      }
    }
    if (options_.verbose) {
      std::cout << "mutant " << index << ": " << seed.path << ": "
                << (problems.empty() ? "ok" : "FAIL") << "\n";
    }
    if (problems.empty()) {
      return;
    }
    ++stats_.failures;
    for (const auto &what : problems) {
      report << "  FAIL " << what << "\n";
    }
    const fs::path keep = options_.keep;
    std::error_code ec;
    fs::create_directories(keep, ec);
    const std::string name = "mutant-" + std::to_string(options_.runSeed) +
                             "-" + std::to_string(index);
    writeFile(keep / name, mutant.bytes);
    std::ofstream(keep / (name + ".txt")) << report.str();
    std::cout << "FAIL " << report.str() << "  saved as "
              << (keep / name).string() << "; reproduce: kml-elf-fuzz --seed "
              << options_.runSeed << " --first " << index << " --count 1\n";
  }

  const Options &options_;
  std::vector<Seed> seeds_;
  fs::path work_;
  Stats stats_;
};

void printSummary(Stats &stats, const Options &options, double elapsed,
                  std::uint64_t first) {
  std::cout << "kml-elf-fuzz: " << stats.files << " files (run seed "
            << options.runSeed << ", mutants " << first << ".."
            << first + stats.files - (stats.files ? 1 : 0) << "), "
            << stats.commands << " commands in " << elapsed << " s, "
            << (elapsed > 0 ? static_cast<double>(stats.files) / elapsed : 0)
            << " files/s\n";
  std::cout << "seeds:\n";
  for (const auto &[path, count] : stats.perSeed) {
    std::cout << "  " << count << "\t" << path << "\n";
  }
  std::cout << "mean wall time per run:";
  for (const auto &[command, seconds] : stats.seconds) {
    std::cout << " " << command << " "
              << static_cast<int>(1000 * seconds /
                                  static_cast<double>(stats.files))
              << " ms";
  }
  std::cout << "\noutcomes:\n";
  for (const auto &[what, count] : stats.outcomes) {
    std::cout << "  " << count << "\t" << what << "\n";
  }
  std::vector<std::pair<std::uint64_t, std::string>> messages;
  messages.reserve(stats.messages.size());
  for (const auto &[what, count] : stats.messages) {
    messages.emplace_back(count, what);
  }
  std::ranges::sort(messages, [](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::cout << "distinct error messages: " << messages.size() << "\n";
  for (const auto &[count, what] : messages) {
    std::cout << "  " << count << "\t" << what << "\n";
  }
  std::cout << "failures: " << stats.failures << "\n";
}

// $TMPDIR, else /dev/shm when usable: the tools fsync what they write,
// which costs nothing on a tmpfs.
fs::path scratchRoot() {
  if (std::getenv("TMPDIR") == nullptr && access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  return fs::temp_directory_path();
}

int run(int argc, char **argv) {
  const auto parsed = parse(argc, argv);
  if (!parsed) {
    printHelp(std::cerr);
    return kExitUsage;
  }
  const Options &options = *parsed;
  std::vector<Seed> seeds;
  for (const auto &path : options.seeds) {
    if (!fs::is_regular_file(path)) {
      std::cout << "kml-elf-fuzz: seed " << path << " not found, skipped\n";
      continue;
    }
    seeds.push_back({path, readFile(path)});
  }
  if (seeds.empty() || options.kml.empty()) {
    std::cerr << "kml-elf-fuzz: no seed files or no kml command\n";
    return kExitUsage;
  }
  setSanitizerDefaults();

  std::string pattern = (scratchRoot() / "kml-fuzz-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "kml-elf-fuzz: cannot create a scratch directory\n";
    return kExitUsage;
  }
  const fs::path work = pattern;
  Fuzzer fuzzer(options, std::move(seeds), work);
  const auto started = Clock::now();
  const auto deadline =
      options.seconds > 0
          ? started + std::chrono::duration_cast<Clock::duration>(
                          std::chrono::duration<double>(options.seconds))
          : Clock::time_point::max();
  const std::uint64_t end =
      options.count ? options.first + *options.count : UINT64_MAX;
  std::atomic<std::uint64_t> next = options.first;
  std::vector<std::thread> jobs;
  jobs.reserve(options.jobs);
  for (unsigned job = 0; job < options.jobs; ++job) {
    jobs.emplace_back([&, job] { fuzzer.run(job, next, end, deadline); });
  }
  for (auto &job : jobs) {
    job.join();
  }
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - started).count();
  fs::remove_all(work);
  printSummary(fuzzer.stats(), options, elapsed, options.first);
  return fuzzer.stats().failures == 0 ? 0 : 1;
}

} // namespace
} // namespace kml::fuzz

int main(int argc, char **argv) { return kml::fuzz::run(argc, argv); }
