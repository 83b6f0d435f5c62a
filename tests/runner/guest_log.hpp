#pragma once
// GuestLog reads what a kml test VM prints on its serial console, line by
// line, and decides whether the run passed.
//
// The guest's test script frames its output (tests/vm/run-tests.sh):
//   KML-RUN-BEGIN
//   KML-TEST-BEGIN <name>      one block a test binary; inside, the binary's
//   ...TAP...                  kselftest TAP ("1..N", "ok N ...", "not ok N")
//   KML-TEST-END <name> exit=<status>
//   KML-RUN-END
// and the kernel's console messages interleave anywhere. A run passes only
// if every expected binary ran to its END line with exit 0 (or kselftest's
// skip status 4), every test its plan promised reported "ok", the guest
// reached KML-RUN-END, and the kernel printed no warning, oops, BUG,
// sanitizer, lockdep or kmemleak report.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kml::vmrun {

// One problem that fails the run, with the guest lines that explain it.
struct Problem {
  std::string summary;          // one line: what failed and why
  std::vector<std::string> log; // the relevant guest output
};

struct TestBinary {
  std::string name;
  std::vector<std::string> lines; // everything printed inside its block
  int planned = -1;               // from "1..N"; -1 when no plan was seen
  int passed = 0;
  int skipped = 0;
  int failed = 0;
  bool ended = false;
  int exitStatus = -1;
};

class GuestLog {
public:
  explicit GuestLog(std::vector<std::string> expectedBinaries);

  void addLine(std::string_view line);

  [[nodiscard]] bool runEnded() const { return runEnded_; }

  // Problems found so far plus those only visible at the end (missing
  // binaries, unfinished blocks, no KML-RUN-END). Call after the last line.
  [[nodiscard]] std::vector<Problem> problems() const;

  // Test cases that passed (including skips) and failed. Missing cases and
  // each kernel report count as failures, so the totals never look better
  // than the run was.
  [[nodiscard]] int passedCount() const;
  [[nodiscard]] int failedCount() const;

  [[nodiscard]] const std::vector<TestBinary> &binaries() const {
    return binaries_;
  }

private:
  void checkKernelReport(std::string_view line);
  [[nodiscard]] std::vector<std::string> tail(std::size_t count) const;

  std::vector<std::string> expected_;
  std::vector<TestBinary> binaries_;
  std::optional<std::size_t> current_; // index of the open block, if any
  std::vector<std::string> all_;       // every line, for context
  std::vector<Problem> kernelReports_;
  bool runBegan_ = false;
  bool runEnded_ = false;
};

// True when a console line starts a kernel report that fails a test run.
// Exposed for tests; returns the name of the report kind or empty.
std::string_view kernelReportKind(std::string_view line);

} // namespace kml::vmrun
