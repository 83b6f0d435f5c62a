#include "code_map.hpp"

#include <algorithm>
#include <cstring>

namespace kml::rewrite {

CodeMap::CodeMap(const ElfView &elf) : elf_(elf) {
  ZydisDecoderInit(&decoder_, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
  for (const auto &[address, symbol] : elf.symbols()) {
    targets_.insert(address);
  }
  for (const Region &region : elf.code()) {
    sweep(region);
  }
  std::ranges::sort(insns_, {}, &Insn::address);
  std::ranges::sort(undecodable_);
  scanData();
  // A number that happens to fall in the code range (0x40000 in a small
  // static-pie program) is only a possible code pointer if it names an
  // instruction start; branch targets found in code are kept as they are.
  for (std::uint64_t guess : guessedTargets_) {
    if (indexAt(guess)) {
      targets_.insert(guess);
    }
  }
  sortedTargets_.assign(targets_.begin(), targets_.end());
  std::ranges::sort(sortedTargets_);
}

// Linear sweep: decode from the region start, and whenever a symbol
// starts at or before the current position that the sweep did not land
// on, restart there, so one undecodable byte or a data island cannot shift
// the boundaries of the next function. Bytes that do not decode are
// skipped one at a time and remembered: sites right after them are not
// trusted.
void CodeMap::sweep(const Region &region) {
  codeBytes_ += region.size;
  const std::byte *base = elf_.bytes().data() + region.offset;
  const auto &symbols = elf_.symbols();
  auto nextSymbol = symbols.lower_bound(region.address);
  std::uint64_t pos = 0;
  ZydisDecoderContext context;
  ZydisDecodedInstruction insn;
  while (pos < region.size) {
    const std::uint64_t here = region.address + pos;
    if (const auto end = elf_.dataObjectEnd(here)) {
      pos = std::min(*end, region.address + region.size) - region.address;
      continue;
    }
    while (nextSymbol != symbols.end() && nextSymbol->first <= here) {
      ++nextSymbol;
    }
    if (ZYAN_FAILED(ZydisDecoderDecodeInstruction(
            &decoder_, &context, base + pos,
            static_cast<ZyanUSize>(region.size - pos), &insn))) {
      undecodable_.push_back(here);
      ++pos;
      continue;
    }
    if (nextSymbol != symbols.end() && nextSymbol->first < here + insn.length) {
      // The instruction runs over a function start: the sweep is out of
      // step; trust the symbol and restart there.
      undecodable_.push_back(here);
      pos = nextSymbol->first - region.address;
      continue;
    }
    const bool endsFlow = insn.mnemonic == ZYDIS_MNEMONIC_RET ||
                          insn.mnemonic == ZYDIS_MNEMONIC_JMP ||
                          insn.mnemonic == ZYDIS_MNEMONIC_UD2 ||
                          insn.mnemonic == ZYDIS_MNEMONIC_HLT;
    insns_.push_back(Insn{here, insn.length,
                          insn.mnemonic == ZYDIS_MNEMONIC_SYSCALL,
                          insn.mnemonic == ZYDIS_MNEMONIC_HLT, endsFlow});
    noteReferences(insn, here);
    pos += insn.length;
  }
}

// Everything an instruction says about where control can go: relative
// branch targets, the instruction after a call (return addresses), and
// addresses in code that a RIP-relative operand or an immediate names
// (function pointers taken with lea or mov $imm). RIP-relative references
// to data are kept to look for jump tables next to them.
void CodeMap::noteReferences(const ZydisDecodedInstruction &insn,
                             std::uint64_t address) {
  const std::uint64_t next = address + insn.length;
  for (const auto &imm : insn.raw.imm) {
    if (imm.size == 0) {
      continue;
    }
    if (imm.is_relative) {
      const std::uint64_t target =
          next + static_cast<std::uint64_t>(imm.value.s);
      targets_.insert(target);
      flowTargets_.insert(target);
    } else if (imm.size >= 32 && elf_.inCode(imm.value.u)) {
      guessedTargets_.push_back(imm.value.u);
    }
  }
  if (insn.meta.category == ZYDIS_CATEGORY_CALL) {
    targets_.insert(next);
    flowTargets_.insert(next);
  }
  const bool hasModrm = (insn.attributes & ZYDIS_ATTRIB_HAS_MODRM) != 0;
  if (hasModrm && insn.raw.modrm.mod == 0 && insn.raw.modrm.rm == 5) {
    const std::uint64_t target =
        next + static_cast<std::uint64_t>(insn.raw.disp.value);
    if (elf_.inCode(target)) {
      targets_.insert(target);
      codeRefs_.insert(target);
    } else {
      dataRefs_.push_back(target);
    }
  }
}

// Code addresses stored in data: every 8-byte word of the non-code
// segments that points into code (function pointers, absolute jump
// tables), static-pie's relative relocations, and 32-bit relative jump
// tables found next to the data addresses the code refers to. This over-
// approximates on purpose: a false target only leaves a site alone.
void CodeMap::scanData() {
  for (const Region &region : elf_.data()) {
    const std::byte *base = elf_.bytes().data() + region.offset;
    for (std::uint64_t off = (8 - region.address % 8) % 8;
         off + 8 <= region.size; off += 8) {
      std::uint64_t value;
      std::memcpy(&value, base + off, 8);
      if (elf_.inCode(value)) {
        guessedTargets_.push_back(value);
      }
    }
  }
  for (std::uint64_t addend : elf_.relativeAddends()) {
    if (elf_.inCode(addend)) {
      guessedTargets_.push_back(addend);
    }
  }
  std::ranges::sort(dataRefs_);
  const auto dup = std::ranges::unique(dataRefs_);
  dataRefs_.erase(dup.begin(), dup.end());
  for (std::uint64_t ref : dataRefs_) {
    scanJumpTable(ref);
  }
}

// GCC's PIC jump tables hold 32-bit offsets from the table start; the
// code loads the start with a RIP-relative lea. Entries are read while
// they land on instruction starts.
void CodeMap::scanJumpTable(std::uint64_t base) {
  constexpr std::uint64_t kMaxEntries = 4096;
  for (std::uint64_t i = 0; i < kMaxEntries; ++i) {
    const auto entry = elf_.at(base + 4 * i, 4);
    if (!entry) {
      return;
    }
    std::int32_t offset;
    std::memcpy(&offset, entry->data(), 4);
    const std::uint64_t target =
        base + static_cast<std::uint64_t>(static_cast<std::int64_t>(offset));
    // A real table entry is an instruction start; the first value that is
    // not one ends the table (most data next to a lea is no table at all).
    if (!indexAt(target)) {
      return;
    }
    targets_.insert(target);
  }
}

std::optional<std::size_t> CodeMap::indexAt(std::uint64_t address) const {
  auto it = std::ranges::lower_bound(insns_, address, {}, &Insn::address);
  if (it == insns_.end() || it->address != address) {
    return std::nullopt;
  }
  return static_cast<std::size_t>(it - insns_.begin());
}

bool CodeMap::reachedByFlow(std::size_t index) const {
  const Insn &insn = insns_.at(index);
  if (elf_.symbols().contains(insn.address) ||
      flowTargets_.contains(insn.address)) {
    return true;
  }
  if (index == 0) {
    return false;
  }
  const Insn &before = insns_[index - 1];
  return before.address + before.length == insn.address && !before.endsFlow;
}

bool CodeMap::targetInside(std::uint64_t start, std::uint64_t end) const {
  auto it = std::ranges::upper_bound(sortedTargets_, start);
  return it != sortedTargets_.end() && *it < end;
}

std::uint64_t CodeMap::distanceFromUndecodable(std::uint64_t address) const {
  auto it = std::ranges::upper_bound(undecodable_, address);
  if (it == undecodable_.begin()) {
    return UINT64_MAX;
  }
  return address - *(it - 1);
}

bool CodeMap::decode(std::uint64_t address, ZydisDecodedInstruction &insn,
                     ZydisDecodedOperand *operands) const {
  const auto bytes = elf_.at(address, 1);
  if (!bytes) {
    return false;
  }
  // At most 15 bytes, but never past the mapped file bytes.
  std::uint64_t available = 1;
  while (available < 15 && elf_.at(address, available + 1)) {
    ++available;
  }
  return ZYAN_SUCCESS(ZydisDecoderDecodeFull(&decoder_, bytes->data(),
                                             available, &insn, operands));
}

} // namespace kml::rewrite
