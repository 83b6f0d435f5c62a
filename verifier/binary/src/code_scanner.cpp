#include "code_scanner.hpp"

#include "fast_decoder.hpp"
#include "rules.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string_view>

namespace kml::binval::detail {
namespace {

void check(ZyanStatus status, const char *what) {
  if (!ZYAN_SUCCESS(status))
    throw Error(std::string("internal error: Zydis ") + what + " failed");
}

ZydisDecoder makeDecoder(bool minimal) {
  ZydisDecoder decoder;
  check(ZydisDecoderInit(&decoder, ZYDIS_MACHINE_MODE_LONG_64,
                         ZYDIS_STACK_WIDTH_64),
        "decoder init");
  check(ZydisDecoderEnableMode(&decoder, ZYDIS_DECODER_MODE_MINIMAL,
                               minimal ? ZYAN_TRUE : ZYAN_FALSE),
        "decoder mode");
  return decoder;
}

// Padding between functions: GNU ld fills with NOPs (which decode), lld and
// -mharden-sls with int3 (0xcc), section alignment with zeros.
bool isPaddingByte(std::byte b) {
  return b == std::byte{0xCC} || b == std::byte{0x00};
}

// clang's -fsanitize=function (part of -fsanitize=undefined) places 8 bytes
// of data right before each function: the signature 0xc105cafe and a type
// hash. Decoded, the hash turns into random instructions (in, insb, popf...).
constexpr std::uint64_t kFunctionSignatureSize = 8;

bool isFunctionSignature(std::span<const std::byte> bytes) {
  static constexpr std::uint8_t kSignature[] = {0xfe, 0xca, 0x05, 0xc1};
  for (std::size_t i = 0; i < sizeof kSignature; ++i)
    if (bytes[i] != std::byte{kSignature[i]})
      return false;
  return true;
}

std::string byteList(std::span<const std::byte> bytes) {
  std::string text = ".byte ";
  static constexpr std::string_view kDigits = "0123456789abcdef";
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = static_cast<unsigned>(bytes[i]);
    text += i == 0 ? "0x" : ", 0x";
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return text;
}

// Walks the sorted symbol starts/ends alongside the scan position, so each
// lookup is amortised O(1) instead of a binary search per instruction.
class BoundaryCursor {
public:
  BoundaryCursor(const std::vector<std::uint64_t> &points, std::uint64_t base,
                 std::uint64_t limit)
      : points_(points), base_(base), limit_(limit) {}

  // Offset of the first point strictly after `offset` (or the limit).
  std::uint64_t nextAfter(std::uint64_t offset) {
    while (index_ < points_.size() && points_[index_] - base_ <= offset)
      ++index_;
    return index_ < points_.size() ? points_[index_] - base_ : limit_;
  }

  // True when some point equals `offset`. Offsets must not decrease.
  bool at(std::uint64_t offset) {
    while (index_ < points_.size() && points_[index_] - base_ < offset)
      ++index_;
    return index_ < points_.size() && points_[index_] - base_ == offset;
  }

private:
  const std::vector<std::uint64_t> &points_;
  std::uint64_t base_;
  std::uint64_t limit_;
  std::size_t index_ = 0;
};

// Reports undecodable bytes, one finding per run of consecutive bytes, so a
// block of data in code does not flood the report.
class UndecodableRuns {
public:
  UndecodableRuns(std::span<const std::byte> code, std::uint64_t address,
                  const SymbolIndex &symbols, Report &report)
      : code_(code), address_(address), symbols_(symbols), report_(report) {}

  // The byte at `offset` does not start a decodable instruction.
  void add(std::uint64_t offset) {
    constexpr std::uint64_t kMaxShownBytes = 16;
    if (offset == runEnd_) {
      Finding &finding = report_.findings[finding_];
      std::uint64_t start = finding.address - address_;
      finding.instruction = byteList(
          code_.subspan(start, std::min(offset + 1 - start, kMaxShownBytes)));
    } else {
      const RuleHit &rule = undecodableRule();
      finding_ = report_.findings.size();
      report_.findings.push_back(
          {address_ + offset, symbols_.describe(address_ + offset),
           byteList(code_.subspan(offset, 1)), std::string(rule.id),
           std::string(rule.reason)});
    }
    runEnd_ = offset + 1;
  }

  // A function starts: a new run begins even if the bytes are adjacent.
  void interrupt() { runEnd_ = kNoRun; }

private:
  static constexpr std::uint64_t kNoRun = ~std::uint64_t{0};
  std::span<const std::byte> code_;
  std::uint64_t address_;
  const SymbolIndex &symbols_;
  Report &report_;
  std::uint64_t runEnd_ = kNoRun; // offset just past the current run
  std::size_t finding_ = 0;       // index of the current run's finding
};

std::uint8_t byteAt(std::span<const std::byte> code, std::uint64_t at) {
  return static_cast<std::uint8_t>(code[at]);
}

// Little-endian rel8/rel32 fields, sign-extended (addresses wrap modulo
// 2^64, as the CPU computes them).
std::uint64_t rel8At(std::span<const std::byte> code, std::uint64_t at) {
  return static_cast<std::uint64_t>(
      static_cast<std::int64_t>(static_cast<std::int8_t>(byteAt(code, at))));
}

std::uint64_t rel32At(std::span<const std::byte> code, std::uint64_t at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i)
    value = (value << 8) | byteAt(code, at + i);
  return static_cast<std::uint64_t>(
      static_cast<std::int64_t>(static_cast<std::int32_t>(value)));
}

bool bytesAre(std::span<const std::byte> code, std::uint64_t at,
              std::initializer_list<std::uint8_t> expected) {
  for (std::uint8_t b : expected)
    if (byteAt(code, at++) != b)
      return false;
  return true;
}

// Fixed part of a stub, from T (syscall-shim/src/stub_writer.cpp).
constexpr std::uint64_t kStubHead = 24; // T..R: mov, jrcxz, lea, jmp *, jmp
constexpr std::uint64_t kJmpRel32 = 5;  // e9 rel32
constexpr std::uint64_t kSyscall = 2;   // 0f 05

// True when a moved instruction could send control anywhere but the next
// instruction: only straight-line code may sit between R and the syscall,
// or it could reach the syscall without passing the slot check.
bool transfersControl(const ZydisDecodedInstruction &insn) {
  if (insn.meta.branch_type != ZYDIS_BRANCH_TYPE_NONE)
    return true;
  switch (insn.meta.category) {
  case ZYDIS_CATEGORY_COND_BR:
  case ZYDIS_CATEGORY_UNCOND_BR:
  case ZYDIS_CATEGORY_CALL:
  case ZYDIS_CATEGORY_RET:
  case ZYDIS_CATEGORY_SYSCALL:
  case ZYDIS_CATEGORY_SYSRET:
  case ZYDIS_CATEGORY_INTERRUPT:
    return true;
  default:
    return false;
  }
}

// The byte `kml rewrite` writes over a hlt: 0x06 (push %es) does not exist
// in 64-bit mode, so it is a #UD (SIGILL) at any privilege, a fault that a
// returning handler runs again, as hlt's #GP at CPL 3.
constexpr std::byte kHaltTrap{0x06};

// The rt_sigreturn trampoline every libc has (glibc's and musl's
// __restore_rt): `mov $15,%rax; syscall`. libgcc's unwinder and gdb find
// signal frames by exactly these bytes, so `kml rewrite` leaves the site.
constexpr std::uint64_t kMovRax15 = 7; // 48 c7 c0 0f 00 00 00

bool isSigreturnTrampoline(std::span<const std::byte> code,
                           std::uint64_t movOffset) {
  return bytesAre(code, movOffset, {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00});
}

} // namespace

InstructionPrinter::InstructionPrinter() : decoder_(makeDecoder(false)) {
  check(ZydisFormatterInit(&formatter_, ZYDIS_FORMATTER_STYLE_INTEL),
        "formatter init");
}

std::string InstructionPrinter::print(std::span<const std::byte> bytes,
                                      std::uint64_t address) const {
  ZydisDecodedInstruction insn;
  std::array<ZydisDecodedOperand, ZYDIS_MAX_OPERAND_COUNT> operands{};
  if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(
          &decoder_, bytes.data(), bytes.size(), &insn, operands.data())))
    return byteList(bytes.first(std::min<std::size_t>(bytes.size(), 1)));
  std::array<char, 256> text{};
  if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(
          &formatter_, &insn, operands.data(), insn.operand_count_visible,
          text.data(), text.size(), address, nullptr)))
    return byteList(bytes.first(insn.length));
  return text.data();
}

CodeScanner::CodeScanner() : decoder_(makeDecoder(true)) {}

// The stub `kml rewrite` emits for one site (docs/syscall-shim.md, "A
// stub"), with R = T + 24 and N the `syscall` at `offset`:
//
//   T:    48 8b 0d <slot>    mov   slot(%rip),%rcx
//   T+7:  e3 <N>             jrcxz N
//   T+9:  48 8d 0d <R>       lea   R(%rip),%rcx
//   T+16: ff 25 <slot>       jmp   *slot(%rip)
//   T+22: eb e8              jmp   T
//   R:    <moved straight-line instructions>
//   N-5:  e9 <site_end>      jmp   site_end
//   N:    0f 05              syscall
//   N+2:  eb <R>             jmp   R  (e9 <site_end> when nothing moved)
//
// The only ways into N are the jrcxz (taken when the slot, which the
// prologue sets to the kernel's entry at CPL 0, holds 0) and a jump from
// outside; nothing falls through into it. Every byte and every target is
// checked, so a `syscall` merely placed in .kml.text stays a finding.
bool CodeScanner::isStubFallback(std::span<const std::byte> code,
                                 std::uint64_t address, std::uint64_t offset,
                                 std::uint64_t stubSlot) {
  const std::uint64_t size = code.size();
  const std::uint64_t n = offset;
  if (n < kStubHead + kJmpRel32 || size - n < kSyscall + 2)
    return false;
  const std::uint64_t afterSyscall = n + kSyscall;
  const std::uint64_t back = n - kJmpRel32; // the jmp site_end before N
  if (!bytesAre(code, back, {0xe9}))
    return false;
  const std::uint64_t siteEnd = address + n + rel32At(code, back + 1);
  // site_end is back in the program's own code, never inside the stubs.
  if (siteEnd - address < size)
    return false;

  std::uint64_t r = 0; // offset of R
  if (bytesAre(code, afterSyscall, {0xeb})) {
    const std::uint64_t target = afterSyscall + 2 + rel8At(code, n + 3);
    // jmp R goes back over at least one moved instruction.
    if (target < kStubHead || target >= back)
      return false;
    r = target;
  } else if (size - afterSyscall >= kJmpRel32 &&
             bytesAre(code, afterSyscall, {0xe9})) {
    if (address + afterSyscall + kJmpRel32 + rel32At(code, afterSyscall + 1) !=
        siteEnd)
      return false;
    r = back; // nothing moved after the site
  } else {
    return false;
  }

  const std::uint64_t t = r - kStubHead;
  if (!bytesAre(code, t, {0x48, 0x8b, 0x0d}) ||
      !bytesAre(code, t + 7, {0xe3}) ||
      !bytesAre(code, t + 9, {0x48, 0x8d, 0x0d}) ||
      !bytesAre(code, t + 16, {0xff, 0x25}) ||
      !bytesAre(code, t + 22, {0xeb, 0xe8})) // jmp T: rel8 -24
    return false;
  const std::uint64_t slot = stubSlot;
  if (address + t + 7 + rel32At(code, t + 3) != slot) // mov slot(%rip)
    return false;
  if (t + 9 + rel8At(code, t + 8) != n ||               // jrcxz N
      t + 16 + rel32At(code, t + 12) != r ||            // lea R(%rip)
      address + t + 22 + rel32At(code, t + 18) != slot) // jmp *slot(%rip)
    return false;

  // The moved instructions must decode end to end onto the jmp site_end,
  // run at CPL 0, and not branch (a branch could reach N past the check).
  // Full decoding for meta.branch_type; this runs once per stub only.
  const ZydisDecoder full = makeDecoder(false);
  for (std::uint64_t at = r; at != back;) {
    ZydisDecodedInstruction insn;
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(
            &full, nullptr, code.data() + at, back - at, &insn)) ||
        classify(insn) != nullptr || transfersControl(insn))
      return false;
    at += insn.length;
  }
  return true;
}

void CodeScanner::scan(std::span<const std::byte> code, std::uint64_t address,
                       const SymbolIndex &symbols, Report &report,
                       std::optional<std::uint64_t> stubSlot) const {
  const std::uint64_t size = code.size();
  report.textBytes += size;

  BoundaryCursor starts(symbols.starts(), address, size);
  BoundaryCursor ends(symbols.ends(), address, size);

  // Padding may start where straight-line flow cannot reach: after
  // ret/jmp/ud2, at the end of a sized function, or at the region start
  // unless a function starts there.
  std::uint64_t offset = 0;
  // Start of the instruction just before, in the same function, or kNone.
  constexpr std::uint64_t kNone = ~std::uint64_t{0};
  std::uint64_t previous = kNone;
  bool mayPad = !starts.at(0);
  std::uint64_t limit = starts.nextAfter(0);
  UndecodableRuns undecodable(code, address, symbols, report);

  while (offset < size) {
    if (offset >= limit) {
      // A function starts here: its entry is code, never padding.
      limit = starts.nextAfter(offset);
      mayPad = false;
      previous = kNone;
      undecodable.interrupt();
    } else if (ends.at(offset)) {
      mayPad = true;
      previous = kNone; // the trampoline lies within one function
    }
    if (mayPad) {
      while (offset < limit && isPaddingByte(code[offset]))
        ++offset;
      mayPad = false;
      if (offset >= limit)
        continue; // the padding ran up to a function start
    }

    if (limit - offset == kFunctionSignatureSize && limit < size &&
        isFunctionSignature(code.subspan(offset, kFunctionSignatureSize)) &&
        !symbols.covers(address + offset)) {
      offset = limit; // data in front of the next function, outside any
      continue;       // function: never reached by straight-line flow
    }

    // Most instructions are everyday encodings the allowlist decoder
    // handles; Zydis decides everything else.
    const FastDecode fast =
        fastDecode(reinterpret_cast<const std::uint8_t *>(code.data()) + offset,
                   limit - offset);
    if (fast.length != 0) {
      ++report.instructions;
      previous = offset;
      offset += fast.length;
      mayPad = fast.endsFlow;
      continue;
    }

    ZydisDecodedInstruction insn;
    // Decoding stops at the next function start so an instruction never
    // swallows a symbol boundary; such an overlap shows up as undecodable.
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(
            &decoder_, nullptr, code.data() + offset, limit - offset, &insn))) {
      if (code[offset] == kHaltTrap) {
        // What kml rewrite makes of a hlt: a #UD whatever follows, so the
        // CPU never runs past it and the sweep goes on as after ud2.
        ++report.instructions;
        ++report.haltTraps;
        previous = kNone;
        ++offset;
        mayPad = true;
        continue;
      }
      // Functions must be pure code. Gaps between functions legitimately
      // hold data (clang's -fsanitize=function signatures, patchable-entry
      // areas, asm tables): there undecodable bytes are skipped, while
      // banned instructions decoded in a gap are still reported. Without
      // any symbols nothing tells the two apart, so every byte is code.
      if (symbols.empty() || symbols.covers(address + offset))
        undecodable.add(offset);
      previous = kNone;
      ++offset;
      continue;
    }

    ++report.instructions;
    const RuleHit *rule = classify(insn);
    if (rule != nullptr && insn.mnemonic == ZYDIS_MNEMONIC_SYSCALL &&
        stubSlot && isStubFallback(code, address, offset, *stubSlot)) {
      ++report.stubFallbacks; // CPL 3 only: see isStubFallback
      rule = nullptr;
    } else if (rule != nullptr && insn.mnemonic == ZYDIS_MNEMONIC_SYSCALL &&
               previous != kNone && offset - previous == kMovRax15 &&
               isSigreturnTrampoline(code, previous)) {
      ++report.sigreturnTrampolines; // the kernel's slow path, on purpose
      rule = nullptr;
    }
    if (rule != nullptr) {
      report.findings.push_back(
          {address + offset, symbols.describe(address + offset),
           printer_.print(code.subspan(offset, insn.length), address + offset),
           std::string(rule->id), std::string(rule->reason)});
    }
    previous = offset;
    offset += insn.length;
    mayPad = endsStraightLineFlow(insn);
  }
}

} // namespace kml::binval::detail
