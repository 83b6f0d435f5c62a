#pragma once
// `kml rewrite`: turn the `syscall` instructions of a static x86-64
// program, a dynamic loader or a shared library into jumps to per-site stubs
// that enter the kernel directly when the program runs at CPL 0 (AT_KML_ENTRY,
// linux/kml_abi.h) and execute the original `syscall` everywhere else, and its
// `hlt`s into a trap. docs/syscall-shim.md has the design; this header is the
// whole library interface.

#include "kml/elf_image.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kml::rewrite {

// Why a `syscall` site or a `hlt` is left as it is. Each reason has a
// stable name (the JSON report's "reason" and left_by_reason keys) and a
// sentence (the text report's, and the JSON "reason_text"): see
// leaveReasonName() and leaveReasonText().
enum class LeaveReason {
  None, // rewritten, or replaced
  // Special cases, whatever the neighbours look like.
  CancellationPoint,
  UnmapsOwnStack,
  SigreturnTrampoline,
  OutsideFunctions,
  NearUndecodable,
  StubOutOfRange,
  // A neighbour that would have to move cannot.
  NeighbourUndecodable,
  NeighbourIsSyscall,
  NeighbourIsHalt,
  NeighbourIsLandingPad,
  NeighbourIsControlTransfer,
  NeighbourIsRelativeBranch,
  NeighbourChangesStack,
  NeighbourUsesRip,
  NeighbourReadsSyscallOutputs,
  NeighbourHasUnusualRipOperand,
  RipOperandOutOfReach,
  // The bytes around the site cannot be replaced.
  OverlapsPreviousSite,
  BranchTargetInside,
  RelocatedAtLoad,
  NotEnoughMovableBytes,
  OverlapsEntryHook,
  // A hlt that may be data.
  NamedAsData,
  UnreachedByFlow,
};

// "cancellation-point", "neighbour-changes-rsp", ...: never changes.
const char *leaveReasonName(LeaveReason reason);
// "cancellation point range", "neighbour changes %rsp", ...
const char *leaveReasonText(LeaveReason reason);

// What happened to one `syscall` instruction found in the code.
struct SiteOutcome {
  std::uint64_t address = 0;           // of the `syscall`
  std::string symbol;                  // "write+0x12", or "" if stripped
  std::optional<std::uint32_t> number; // when a nearby mov sets %eax
  bool rewritten = false;
  LeaveReason reason = LeaveReason::None; // why it was left
  std::uint64_t rangeStart = 0;           // replaced bytes [start, end)
  std::uint64_t rangeEnd = 0;
  std::uint64_t stub = 0; // stub address when rewritten
};

// What happened to one `hlt`. At CPL 0 it does not fault, it waits for
// the next interrupt and goes on, so libc's crash paths (glibc's abort,
// _start, _exit, check_one_fd; musl's a_crash) would not die; each becomes
// 0x06, one byte like `hlt` and a #UD (SIGILL) at CPL 3 and at CPL 0.
struct HaltOutcome {
  std::uint64_t address = 0;
  std::string symbol; // "abort+0x171", or "" if stripped
  bool replaced = false;
  LeaveReason reason = LeaveReason::None; // why it was left
};

// How the stubs learn the direct entry: a static program's prologue (its
// new entry point), a loader's entry hook (its entry jumps to the
// prologue), a library's finder (its stubs look it up once), or none (a
// library without a way: every site takes the `syscall` slow path).
enum class EntrySource { Prologue, EntryHook, Finder, None };

// "prologue", "entry hook", "finder", "none" (the JSON report's values).
const char *entrySourceName(EntrySource source);

struct RewriteReport {
  std::vector<SiteOutcome> sites; // ascending address order
  std::vector<HaltOutcome> halts; // ascending address order
  std::uint64_t instructions = 0; // decoded in executable code
  std::uint64_t codeBytes = 0;
  std::uint64_t entry = 0; // the prologue (0 for a library)
  std::uint64_t slot = 0;  // the entry slot's address
  EntrySource entrySource = EntrySource::Prologue;

  [[nodiscard]] std::size_t found() const { return sites.size(); }
  [[nodiscard]] std::size_t rewritten() const;
  [[nodiscard]] std::size_t left() const { return found() - rewritten(); }
  // Left sites counted by reason.
  [[nodiscard]] std::map<LeaveReason, std::size_t> leftByReason() const;
  [[nodiscard]] std::size_t haltsReplaced() const;
};

struct RewriteResult {
  std::vector<std::byte> bytes; // the new file, marked enabled
  RewriteReport report;
};

struct RewriteOptions {
  // Test only: when AT_KML_ENTRY is absent, use an entry emulated with
  // `syscall` (one thread, no vfork) so the stubs' direct path and the
  // restart path run at CPL 3. Never for programs that are deployed.
  bool testEntry = false;
};

// Rewrites a validated static executable, or a shared object when the
// image accepted one (Accept::SharedObjects). The image is not modified.
// Throws ElfError (Dynamic, Malformed, ...) for files it will not handle.
RewriteResult rewriteImage(const ElfImage &image,
                           const RewriteOptions &options = {});

// Only finds the sites and decides what would happen to each: no bytes.
RewriteReport analyseImage(const ElfImage &image);

// Human-readable report (one line per left site) and the same as JSON.
std::string formatReport(const RewriteReport &report, const std::string &file);
std::string formatJson(const RewriteReport &report, const std::string &file);

} // namespace kml::rewrite
