#include "entry_hook.hpp"

#include "kml/elf_error.hpp"
#include "kml/text.hpp"

#include <array>
#include <string>

namespace kml::rewrite {
namespace {

constexpr std::uint64_t kJmpLength = 5;

[[noreturn]] void refuse(std::uint64_t entry, const std::string &why) {
  throw ElfError(
      ElfErrorKind::Malformed,
      cat("cannot hook the loader's entry point ", Hex{entry}, ": ", why));
}

// One instruction at the entry, as it will run from the prologue.
MovedInsn moveable(const ElfView &elf, const CodeMap &code, std::uint64_t entry,
                   const Insn &at) {
  ZydisDecodedInstruction insn;
  std::array<ZydisDecodedOperand, ZYDIS_MAX_OPERAND_COUNT> ops{};
  const auto bytes = elf.at(at.address, at.length);
  if (!bytes || !code.decode(at.address, insn, ops.data()) ||
      insn.length != at.length) {
    refuse(entry,
           cat("the instruction at ", Hex{at.address}, " does not decode"));
  }
  MovedInsn moved{at.address, {bytes->begin(), bytes->end()}, std::nullopt};
  // A call or jmp with rel32 means the same from anywhere once its
  // displacement is recomputed, exactly like a RIP-relative operand.
  const auto opcode = std::to_integer<std::uint8_t>(moved.bytes[0]);
  if ((opcode == 0xe8 || opcode == 0xe9) && at.length == 5) {
    moved.ripDispOffset = 1;
    return moved;
  }
  if (insn.meta.category != ZYDIS_CATEGORY_DATAXFER &&
      insn.meta.category != ZYDIS_CATEGORY_LOGICAL &&
      insn.meta.category != ZYDIS_CATEGORY_BINARY &&
      insn.meta.category != ZYDIS_CATEGORY_PUSH &&
      insn.meta.category != ZYDIS_CATEGORY_POP &&
      insn.meta.category != ZYDIS_CATEGORY_NOP) {
    refuse(entry, cat("the instruction at ", Hex{at.address},
                      " is not a plain move, arithmetic or call"));
  }
  for (std::uint8_t o = 0; o < insn.operand_count; ++o) {
    if (ops[o].type == ZYDIS_OPERAND_TYPE_MEMORY &&
        ops[o].mem.base == ZYDIS_REGISTER_RIP) {
      if (insn.raw.disp.size != 32) {
        refuse(entry, "an unusual RIP-relative operand");
      }
      moved.ripDispOffset = insn.raw.disp.offset;
    } else if (ops[o].type == ZYDIS_OPERAND_TYPE_REGISTER &&
               ops[o].reg.value == ZYDIS_REGISTER_RIP && !moved.ripDispOffset) {
      refuse(entry, cat("the instruction at ", Hex{at.address}, " uses %rip"));
    }
  }
  return moved;
}

} // namespace

EntryHook planEntryHook(const ElfView &elf, const CodeMap &code,
                        std::uint64_t entry) {
  const auto first = code.indexAt(entry);
  if (!first) {
    refuse(entry, "no instruction starts there");
  }
  EntryHook hook{entry, entry, {}};
  const auto &insns = code.instructions();
  for (std::size_t i = *first; hook.end - entry < kJmpLength; ++i) {
    if (i == insns.size() || insns[i].address != hook.end) {
      refuse(entry, "the code there ends too soon");
    }
    if (insns[i].syscall || insns[i].halt) {
      refuse(entry, "a syscall or hlt right at the entry");
    }
    hook.moved.push_back(moveable(elf, code, entry, insns[i]));
    hook.end += insns[i].length;
  }
  if (code.targetInside(hook.start, hook.end)) {
    refuse(entry, "a branch lands among the first instructions");
  }
  if (elf.relocatedInside(hook.start, hook.end)) {
    refuse(entry, "a relocation patches the first instructions");
  }
  return hook;
}

} // namespace kml::rewrite
