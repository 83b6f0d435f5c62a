#include "site_explainer.hpp"

#include "syscall_names.hpp"

#include "kml/text.hpp"

#include <iomanip>
#include <sstream>

namespace kml {
namespace {

constexpr std::uint64_t kMaxInstruction = 15;
// A stub is a few moved instructions and the transfer sequence: this many
// instructions always reach its fallback `syscall`.
constexpr int kMaxStubInstructions = 32;
constexpr std::uint32_t kGetpid = 39;
constexpr std::uint32_t kGetppid = 110;
constexpr std::uint32_t kGettid = 186;

std::string hexBytes(const std::vector<std::byte> &bytes) {
  std::ostringstream out;
  out << std::hex << std::setfill('0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out << (i == 0 ? "" : " ") << std::setw(2)
        << static_cast<unsigned>(std::to_integer<std::uint8_t>(bytes[i]));
  }
  return out.str();
}

ShownInstruction shown(const DecodedInstruction &insn) {
  return {insn.address, hexBytes(insn.bytes), insn.text};
}

bool bypassable(const std::optional<std::uint32_t> &number) {
  return number &&
         (*number == kGetpid || *number == kGetppid || *number == kGettid);
}

std::string callName(const SiteExplanation &site) {
  return site.number ? site.name : std::string("this call");
}

} // namespace

SiteExplainer::SiteExplainer(const ImageMemory &original,
                             const ImageMemory &rewritten,
                             const X86Decoder &decoder)
    : original_(original), rewritten_(rewritten), decoder_(decoder) {}

SiteExplanation
SiteExplainer::explain(const rewrite::SiteOutcome &site, const RingContext &now,
                       const std::optional<RingContext> &afterRewrite) const {
  SiteExplanation out;
  out.address = site.address;
  out.symbol = site.symbol;
  out.number = site.number;
  if (site.number) {
    const auto name = syscallName(*site.number);
    out.name =
        name ? std::string(*name) : cat("unknown system call ", *site.number);
  } else {
    out.name = "set at run time";
  }
  out.rewritten = site.rewritten;
  out.reason = site.reason;
  if (!site.rewritten) {
    // A site the analysis would rewrite, left in a rewritten file: an
    // older rewriter made the file.
    out.reasonText = site.reason == rewrite::LeaveReason::None
                         ? "left by the kml rewrite that made this file; "
                           "this kml would rewrite it"
                         : rewrite::leaveReasonText(site.reason);
  }
  if (site.rewritten) {
    out.rangeStart = site.rangeStart;
    out.rangeEnd = site.rangeEnd;
    out.stub = site.stub;
    out.original = decodeRange(original_, site.rangeStart, site.rangeEnd);
    out.replaced = decodeRange(rewritten_, site.rangeStart, site.rangeEnd);
    out.stubCode = decodeStub(site.stub);
  } else {
    // Left alone: the `syscall` is all there is to show, before and after.
    out.rangeStart = site.address;
    out.rangeEnd = site.address + 2;
    out.original = decodeRange(original_, out.rangeStart, out.rangeEnd);
    out.replaced = out.original;
  }
  out.now = pathOf(out, now);
  if (afterRewrite) {
    out.afterRewrite = pathOf(out, *afterRewrite);
  }
  return out;
}

PathVerdict SiteExplainer::pathOf(const SiteExplanation &site,
                                  const RingContext &context) {
  if (!context.ring0) {
    return {CallPath::Ring3,
            cat("the program is not marked for ring 0 (", context.whyNotRing0,
                "): it runs at ring 3 like any program, and ", callName(site),
                " is a `syscall` trap into the kernel",
                context.hasStubs && site.rewritten
                    ? " (the stub finds no AT_KML_ENTRY in its auxiliary "
                      "vector and runs its own `syscall`)"
                    : "")};
  }
  if (!context.hasStubs) {
    return {CallPath::Slow,
            cat("the file is not rewritten: at ring 0 its `syscall` "
                "instruction still traps into the kernel's slow path, the "
                "whole entry and exit a ring-3 call pays (run kml rewrite)")};
  }
  if (!site.rewritten) {
    return {CallPath::Slow,
            cat("left as a `syscall` instruction (", site.reasonText,
                "): at ring 0 it traps into the kernel's slow path, the whole "
                "entry and exit a ring-3 call pays")};
  }
  if (context.noEntry) {
    return {CallPath::Slow,
            cat("rewritten, but the library has no __libc_stack_end in its "
                "GOT, so it has no finder: the stub never learns the direct "
                "entry and runs its own `syscall`, the kernel's slow path")};
  }
  if (context.bypass && bypassable(site.number)) {
    return {CallPath::Bypass,
            cat("rewritten, and the marker asks for the bypass: the stub "
                "jumps to the kernel's entry (AT_KML_ENTRY), which answers ",
                site.name,
                " at once on the program's own stack, without the generic "
                "entry code (a kernel that cannot offer the bypass, with "
                "context tracking, kernel IBT or kml_strict_smep, gives the "
                "direct entry instead)",
                context.entryHow)};
  }
  return {CallPath::Direct,
          cat("rewritten: the site jumps to a stub, which jumps straight to "
              "the kernel's direct entry (AT_KML_ENTRY) with the return "
              "address in %rcx; no trap and no change of privilege: the "
              "kernel runs ",
              callName(site),
              " and, when it returns, jumps back to the instruction after "
              "the site",
              context.entryHow)};
}

std::vector<ShownInstruction>
SiteExplainer::decodeRange(const ImageMemory &memory, std::uint64_t start,
                           std::uint64_t end) const {
  std::vector<ShownInstruction> out;
  for (std::uint64_t at = start; at < end;) {
    const auto insn = decoder_.decode(
        memory.upTo(at, std::min(kMaxInstruction, end - at)), at);
    if (!insn) {
      break;
    }
    at = insn->end();
    // The nops after the `jmp stub` are one line: nothing runs them.
    if (insn->isNop && insn->length() == 1 && !out.empty() &&
        out.back().text.starts_with("nop")) {
      ShownInstruction &nops = out.back();
      nops.bytes += " 90";
      nops.text = cat("nop (x", (nops.bytes.size() + 1) / 3,
                      ", never run: nothing jumps into the range)");
      continue;
    }
    out.push_back(shown(*insn));
  }
  return out;
}

std::vector<ShownInstruction>
SiteExplainer::decodeStub(std::uint64_t stub) const {
  std::vector<ShownInstruction> out;
  std::uint64_t at = stub;
  bool afterSyscall = false;
  for (int i = 0; i < kMaxStubInstructions; ++i) {
    const auto insn = decoder_.decode(rewritten_.upTo(at, kMaxInstruction), at);
    if (!insn) {
      break;
    }
    out.push_back(shown(*insn));
    if (afterSyscall) {
      break; // the jump back after the fallback `syscall`
    }
    afterSyscall = insn->isSyscall;
    at = insn->end();
  }
  return out;
}

} // namespace kml
