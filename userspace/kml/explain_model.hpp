#pragma once
// What `kml explain` tells about a program, as data: one explanation per
// system-call site and the program's verdict. The renderers
// (explain_render.hpp) print it as text or JSON; a tracer can look a site
// up by address and print the same explanation for a call it saw.

#include "signature_facts.hpp"

#include "kml/elf_image.hpp"
#include "kml/gate/gate_check.hpp"
#include "kml/gate/reasons.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kml {

// How a system call made at a site reaches the kernel.
enum class CallPath {
  Direct, // a stub jumps to the kernel's direct entry (AT_KML_ENTRY)
  Bypass, // the same jump, answered by the bypass entry
  Slow,   // a `syscall` instruction at ring 0: the kernel's slow path
  Ring3,  // the program runs at ring 3: a `syscall` like any program's
};

// "direct", "bypass", "slow", "ring 3".
std::string_view callPathName(CallPath path);

struct ShownInstruction {
  std::uint64_t address = 0;
  std::string bytes; // "b8 01 00 00 00"
  std::string text;  // "mov $0x1,%eax"
};

// Where a call from the site goes and why, in plain words.
struct PathVerdict {
  CallPath path = CallPath::Ring3;
  std::string why;
};

struct SiteExplanation {
  std::uint64_t address = 0; // of the `syscall` instruction
  std::string symbol;        // "write+0x12", or "" when stripped
  std::optional<std::uint32_t> number;
  std::string name;       // "write", or "set at run time"
  bool rewritten = false; // by the rewrite shown (the file's, or in memory)
  rewrite::LeaveReason reason = rewrite::LeaveReason::None;
  std::string reasonText;       // why it was left, "" when rewritten
  std::uint64_t rangeStart = 0; // the bytes the rewrite replaces
  std::uint64_t rangeEnd = 0;
  std::uint64_t stub = 0;
  std::vector<ShownInstruction> original;  // the range before the rewrite
  std::vector<ShownInstruction> replaced;  // the range after it
  std::vector<ShownInstruction> stubCode;  // the stub, when rewritten
  PathVerdict now;                         // the file as it is
  std::optional<PathVerdict> afterRewrite; // a file not rewritten yet
};

// The kernel's policy files (docs/gate.md, "Policy").
struct KernelPolicy {
  bool fromKernel = false; // read from a running kml.ko
  std::string directory;   // where it was looked for
  gate::GatePolicy gate;
  bool allowUnsigned = false;
  bool allowBypass = true;
};

enum class Decision {
  NormalProgram, // exec does not ask kml.ko: ring 3
  Ring0,         // kml.ko lets it run at CPL 0
  Refused,       // kml.ko refuses the exec
  Library,       // never exec'd: approved when a ring-0 process maps it
};

// "ring 3", "ring 0", "refused", "library".
std::string_view decisionName(Decision decision);

struct ProgramVerdict {
  std::optional<MarkerInfo> marker;
  SignatureFacts signature;
  KernelPolicy policy;
  std::string trustedFrom; // the key directory the signature is checked with
  Decision decision = Decision::NormalProgram;
  std::optional<gate::GateReason> refusal;
  std::string why; // plain words
};

struct ExplainSummary {
  std::size_t sites = 0;
  std::size_t direct = 0;
  std::size_t bypass = 0;
  std::size_t slow = 0;
  std::size_t ring3 = 0;
  std::map<rewrite::LeaveReason, std::size_t> slowByReason;
};

struct ProgramExplanation {
  std::string file;
  // A static program, or a loader or library kml runs dynamic programs
  // with (docs/dynamic.md).
  ImageKind kind = ImageKind::StaticProgram;
  // How the stubs learn the direct entry (the rewrite's choice).
  rewrite::EntrySource entrySource = rewrite::EntrySource::Prologue;
  bool fileRewritten = false;
  // For a rewritten file: whether its original instructions were rebuilt
  // from the stubs, and if not, why.
  bool originalRecovered = true;
  std::string recoveryProblem;
  std::vector<SiteExplanation> sites;
  ProgramVerdict verdict;

  // Counts of the paths as the file is (`now`), or after the rewrite of a
  // file not rewritten yet.
  [[nodiscard]] ExplainSummary summary(bool afterRewrite = false) const;
  // The site whose `syscall` is at address (a tracer's question).
  [[nodiscard]] const SiteExplanation *siteAt(std::uint64_t address) const;
};

// A dynamically linked program: its system calls are made by its
// libraries, so kml rewrites those (and the loader) and leaves the program
// as it is.
struct DynamicProgramExplanation {
  std::string file;
  std::string interpreter; // PT_INTERP, "/lib64/ld-linux-x86-64.so.2"
  // The program's own `syscall` instructions, found by a linear sweep of
  // its code (the slow path at ring 0: kml does not rewrite programs that
  // have an interpreter).
  std::vector<std::uint64_t> ownSites;
};

} // namespace kml
