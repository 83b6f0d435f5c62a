#pragma once
// The decoded code of a program: every instruction boundary found by a
// linear sweep of the executable regions (restarted at every symbol), the
// `syscall` instructions, and every address that control may reach other
// than by falling through (branch targets, symbols, code pointers found in
// data and immediates). Replacing bytes is only safe away from those.

#include "elf_view.hpp"

#include <Zydis/Zydis.h>

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

namespace kml::rewrite {

// Sites this close after bytes the sweep could not decode are not trusted
// to be real instruction boundaries.
inline constexpr std::uint64_t kUndecodableShadow = 64;

struct Insn {
  std::uint64_t address = 0;
  std::uint8_t length = 0;
  bool syscall = false;
  bool halt = false;
  bool endsFlow = false; // ret, jmp, ud2, hlt: nothing falls through
};

class CodeMap {
public:
  explicit CodeMap(const ElfView &elf);

  const std::vector<Insn> &instructions() const { return insns_; }
  // Index of the instruction starting exactly at address.
  std::optional<std::size_t> indexAt(std::uint64_t address) const;
  bool isTarget(std::uint64_t address) const {
    return targets_.contains(address);
  }
  // True when some known target lies strictly inside (start, end).
  bool targetInside(std::uint64_t start, std::uint64_t end) const;
  // Whether control reaches instruction \p index: a symbol starts there,
  // a relative branch or call goes there, a call returns there, or the
  // instruction before it falls through. Code pointers found in data do
  // not count: they only guess.
  bool reachedByFlow(std::size_t index) const;
  // Whether a RIP-relative memory operand names \p address (a lea of a
  // function, or of data kept in the code).
  bool referencedAsData(std::uint64_t address) const {
    return codeRefs_.contains(address);
  }
  // Bytes since the last place where decoding failed (or a big number).
  std::uint64_t distanceFromUndecodable(std::uint64_t address) const;
  std::uint64_t codeBytes() const { return codeBytes_; }

  // Decodes one instruction with operands, for the site planner.
  bool decode(std::uint64_t address, ZydisDecodedInstruction &insn,
              ZydisDecodedOperand *operands) const;

private:
  void sweep(const Region &region);
  void noteReferences(const ZydisDecodedInstruction &insn,
                      std::uint64_t address);
  void scanData();
  void scanJumpTable(std::uint64_t base);

  const ElfView &elf_;
  ZydisDecoder decoder_{};
  std::vector<Insn> insns_; // ascending address
  std::unordered_set<std::uint64_t> targets_;
  std::unordered_set<std::uint64_t> flowTargets_; // branches, returns
  std::unordered_set<std::uint64_t> codeRefs_;    // RIP-relative, in code
  std::vector<std::uint64_t> sortedTargets_;
  std::vector<std::uint64_t> guessedTargets_; // from data and immediates
  std::vector<std::uint64_t> undecodable_;    // ascending
  std::vector<std::uint64_t> dataRefs_;       // RIP-relative data addresses
  std::uint64_t codeBytes_ = 0;
};

} // namespace kml::rewrite
