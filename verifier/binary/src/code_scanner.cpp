#include "code_scanner.hpp"

#include "fast_decoder.hpp"
#include "rules.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

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
  char hex[8];
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(hex, sizeof hex, "%s0x%02x", i == 0 ? "" : ", ",
                  static_cast<unsigned>(bytes[i]));
    text += hex;
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

} // namespace

InstructionPrinter::InstructionPrinter() : decoder_(makeDecoder(false)) {
  check(ZydisFormatterInit(&formatter_, ZYDIS_FORMATTER_STYLE_INTEL),
        "formatter init");
}

std::string InstructionPrinter::print(std::span<const std::byte> bytes,
                                      std::uint64_t address) const {
  ZydisDecodedInstruction insn;
  std::array<ZydisDecodedOperand, ZYDIS_MAX_OPERAND_COUNT> operands;
  if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(
          &decoder_, bytes.data(), bytes.size(), &insn, operands.data())))
    return byteList(bytes.first(std::min<std::size_t>(bytes.size(), 1)));
  std::array<char, 256> text;
  if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(
          &formatter_, &insn, operands.data(), insn.operand_count_visible,
          text.data(), text.size(), address, nullptr)))
    return byteList(bytes.first(insn.length));
  return text.data();
}

CodeScanner::CodeScanner() : decoder_(makeDecoder(true)) {}

void CodeScanner::scan(std::span<const std::byte> code, std::uint64_t address,
                       const SymbolIndex &symbols, Report &report) const {
  const std::uint64_t size = code.size();
  report.textBytes += size;

  BoundaryCursor starts(symbols.starts(), address, size);
  BoundaryCursor ends(symbols.ends(), address, size);

  // Padding may start where straight-line flow cannot reach: after
  // ret/jmp/ud2, at the end of a sized function, or at the region start
  // unless a function starts there.
  std::uint64_t offset = 0;
  bool mayPad = !starts.at(0);
  std::uint64_t limit = starts.nextAfter(0);
  UndecodableRuns undecodable(code, address, symbols, report);

  while (offset < size) {
    if (offset >= limit) {
      // A function starts here: its entry is code, never padding.
      limit = starts.nextAfter(offset);
      mayPad = false;
      undecodable.interrupt();
    } else if (ends.at(offset)) {
      mayPad = true;
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
      offset += fast.length;
      mayPad = fast.endsFlow;
      continue;
    }

    ZydisDecodedInstruction insn;
    // Decoding stops at the next function start so an instruction never
    // swallows a symbol boundary; such an overlap shows up as undecodable.
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(
            &decoder_, nullptr, code.data() + offset, limit - offset, &insn))) {
      // Functions must be pure code. Gaps between functions legitimately
      // hold data (clang's -fsanitize=function signatures, patchable-entry
      // areas, asm tables): there undecodable bytes are skipped, while
      // banned instructions decoded in a gap are still reported. Without
      // any symbols nothing tells the two apart, so every byte is code.
      if (symbols.empty() || symbols.covers(address + offset))
        undecodable.add(offset);
      ++offset;
      continue;
    }

    ++report.instructions;
    if (const RuleHit *rule = classify(insn)) {
      report.findings.push_back(
          {address + offset, symbols.describe(address + offset),
           printer_.print(code.subspan(offset, insn.length), address + offset),
           std::string(rule->id), std::string(rule->reason)});
    }
    offset += insn.length;
    mayPad = endsStraightLineFlow(insn);
  }
}

} // namespace kml::binval::detail
