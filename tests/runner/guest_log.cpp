#include "guest_log.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace kml::vmrun {
namespace {

constexpr std::string_view kRunBegin = "KML-RUN-BEGIN";
constexpr std::string_view kRunEnd = "KML-RUN-END";
constexpr std::string_view kTestBegin = "KML-TEST-BEGIN ";
constexpr std::string_view kTestEnd = "KML-TEST-END ";
constexpr int kKselftestSkip = 4; // KSFT_SKIP: every test skipped
constexpr std::size_t kContextLines = 40;

// Kernel console output starts with "[    1.234567] "; strip it so the
// patterns below can anchor on the message itself.
std::string_view stripTimestamp(std::string_view line) {
  if (!line.empty() && line.front() == '[') {
    if (const auto close = line.find("] "); close != std::string_view::npos) {
      return line.substr(close + 2);
    }
  }
  return line;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  return s;
}

bool parseInt(std::string_view s, int &out) {
  // from_chars reads [first, last): no terminating NUL needed.
  const char *const first = s.data();
  const char *const last = first + s.size();
  const auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last;
}

// "1..N"
bool parsePlan(std::string_view line, int &planned) {
  if (!line.starts_with("1..")) {
    return false;
  }
  return parseInt(line.substr(3), planned);
}

// One line of a test binary's kselftest TAP output.
void addTapLine(TestBinary &bin, std::string_view line) {
  int planned = 0;
  if (bin.planned < 0 && parsePlan(line, planned)) {
    bin.planned = planned;
  } else if (line.starts_with("not ok ")) {
    ++bin.failed;
  } else if (line.starts_with("ok ")) {
    if (line.find("# SKIP") != std::string_view::npos) {
      ++bin.skipped;
    } else {
      ++bin.passed;
    }
  }
}

} // namespace

std::string_view kernelReportKind(std::string_view rawLine) {
  const std::string_view line = stripTimestamp(rawLine);
  // Prefixes the kernel uses for reports that mean something went wrong.
  // Each is anchored at the start of the message so that test output that
  // merely mentions the word (a test named "warning_...") does not match.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17>
      kPrefixes{{
          {"WARNING:", "kernel WARNING"},
          {"BUG:", "kernel BUG"},
          {"kernel BUG at", "kernel BUG"},
          {"Oops:", "kernel oops"},
          {"general protection fault", "general protection fault"},
          {"Kernel panic", "kernel panic"},
          {"KASAN:", "KASAN report"},
          {"KFENCE:", "KFENCE report"},
          {"UBSAN:", "UBSAN report"},
          {"unreferenced object", "kmemleak report"},
          {"kmemleak:", "kmemleak report"},
          {"INFO: possible recursive locking", "lockdep report"},
          {"INFO: possible circular locking", "lockdep report"},
          {"INFO: inconsistent lock state", "lockdep report"},
          {"INFO: task ", "hung task report"},
          {"rcu: INFO:", "RCU stall"},
          {"watchdog: BUG:", "soft lockup"},
      }};
  for (const auto &[prefix, kind] : kPrefixes) {
    if (line.starts_with(prefix)) {
      // kmemleak prints informational lines too; only leaks count.
      if (prefix == "kmemleak:" &&
          line.find("suspected memory leak") == std::string_view::npos) {
        continue;
      }
      return kind;
    }
  }
  return {};
}

GuestLog::GuestLog(std::vector<std::string> expectedBinaries)
    : expected_(std::move(expectedBinaries)) {}

void GuestLog::addLine(std::string_view rawLine) {
  const std::string_view line = trim(rawLine);
  all_.emplace_back(line);
  checkKernelReport(line);

  if (line == kRunBegin) {
    runBegan_ = true;
    return;
  }
  if (line == kRunEnd) {
    runEnded_ = true;
    return;
  }
  if (line.starts_with(kTestBegin)) {
    TestBinary bin;
    bin.name = std::string(line.substr(kTestBegin.size()));
    binaries_.push_back(std::move(bin));
    current_ = binaries_.size() - 1;
    return;
  }
  if (!current_) {
    return;
  }
  TestBinary &bin = binaries_[*current_];
  if (line.starts_with(kTestEnd)) {
    const auto rest = line.substr(kTestEnd.size());
    const auto exitPos = rest.rfind(" exit=");
    if (exitPos != std::string_view::npos &&
        parseInt(rest.substr(exitPos + 6), bin.exitStatus)) {
      bin.ended = true;
    }
    current_.reset();
    return;
  }
  bin.lines.emplace_back(line);
  addTapLine(bin, line);
}

void GuestLog::checkKernelReport(std::string_view line) {
  const std::string_view kind = kernelReportKind(line);
  if (kind.empty()) {
    return;
  }
  Problem problem;
  problem.summary =
      std::string(kind) + ": " + std::string(stripTimestamp(line));
  // The report's own lines follow this one; keep what came before for the
  // test that was running, and let the caller print the full log file.
  problem.log = tail(kContextLines);
  kernelReports_.push_back(std::move(problem));
}

std::vector<std::string> GuestLog::tail(std::size_t count) const {
  const auto first = all_.size() > count ? all_.end() - static_cast<long>(count)
                                         : all_.begin();
  return {first, all_.end()};
}

std::vector<Problem> GuestLog::problems() const {
  std::vector<Problem> out;
  if (!runBegan_) {
    out.push_back({"the guest never started the test run (no KML-RUN-BEGIN): "
                   "did the kernel boot and find /init?",
                   tail(kContextLines)});
  }
  for (const auto &name : expected_) {
    const bool seen = std::ranges::any_of(
        binaries_, [&](const auto &b) { return b.name == name; });
    if (!seen) {
      out.push_back({"test binary '" + name + "' never ran", {}});
    }
  }
  for (const auto &bin : binaries_) {
    const std::string who = "test binary '" + bin.name + "'";
    if (!bin.ended) {
      out.push_back(
          {who + " did not finish (guest crashed, hung or was cut off)",
           bin.lines});
      continue;
    }
    if (bin.planned < 0) {
      out.push_back({who + " printed no TAP plan (1..N)", bin.lines});
    } else if (bin.passed + bin.skipped + bin.failed < bin.planned) {
      out.push_back({who + ": " +
                         std::to_string(bin.planned - bin.passed - bin.skipped -
                                        bin.failed) +
                         " of " + std::to_string(bin.planned) +
                         " planned tests reported no result",
                     bin.lines});
    }
    if (bin.failed > 0) {
      out.push_back(
          {who + ": " + std::to_string(bin.failed) + " test(s) failed",
           bin.lines});
    }
    if (bin.exitStatus != 0 && bin.exitStatus != kKselftestSkip) {
      out.push_back(
          {who + " exited with status " + std::to_string(bin.exitStatus),
           bin.lines});
    }
  }
  out.insert(out.end(), kernelReports_.begin(), kernelReports_.end());
  if (runBegan_ && !runEnded_) {
    out.push_back({"the guest did not reach the end of the test run "
                   "(no KML-RUN-END)",
                   tail(kContextLines)});
  }
  return out;
}

int GuestLog::passedCount() const {
  int n = 0;
  for (const auto &bin : binaries_) {
    n += bin.passed + bin.skipped;
  }
  return n;
}

int GuestLog::failedCount() const {
  int n = static_cast<int>(kernelReports_.size());
  for (const auto &bin : binaries_) {
    const int reported = bin.passed + bin.skipped + bin.failed;
    const int caseFailures = bin.failed + std::max(0, bin.planned - reported);
    const bool binaryProblem =
        !bin.ended || bin.planned < 0 ||
        (bin.exitStatus != 0 && bin.exitStatus != kKselftestSkip);
    // A binary that crashed or exited badly without a failed case still
    // counts once, so it can never vanish from the totals.
    if (caseFailures > 0) {
      n += caseFailures;
    } else if (binaryProblem) {
      ++n;
    }
  }
  for (const auto &name : expected_) {
    if (std::ranges::none_of(binaries_,
                             [&](const auto &b) { return b.name == name; })) {
      ++n;
    }
  }
  if (!runBegan_ || !runEnded_) {
    ++n;
  }
  return n;
}

} // namespace kml::vmrun
