#pragma once
// Deciding, for each `syscall` instruction, which bytes around it can be
// replaced by a 5-byte `jmp rel32` to a stub and moved into that stub, or
// why the site must stay as it is. No bytes are produced here.

#include "code_map.hpp"
#include "elf_view.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kml::rewrite {

// An instruction copied into a stub. When it has a RIP-relative operand,
// its displacement is at ripDispOffset and must be recomputed for the new
// address.
struct MovedInsn {
  std::uint64_t address = 0;
  std::vector<std::byte> bytes;
  std::optional<std::uint8_t> ripDispOffset;
};

struct SitePlan {
  std::uint64_t start = 0; // replaced range [start, end)
  std::uint64_t end = 0;
  std::uint64_t syscall = 0;
  std::vector<MovedInsn> before; // run before the transfer, in order
  std::vector<MovedInsn> after;  // run after it returns
};

struct PlannedSite {
  SiteOutcome outcome;
  std::optional<SitePlan> plan;
};

class SitePlanner {
public:
  // stubArea: an address in the segment where stubs will go, to check
  // that every site and moved displacement can reach it with rel32.
  SitePlanner(const ElfView &elf, const CodeMap &code, std::uint64_t stubArea);

  std::vector<PlannedSite> planAll();

private:
  PlannedSite plan(std::size_t index);
  [[nodiscard]] std::optional<LeaveReason>
  specialCase(std::uint64_t address, std::optional<std::uint32_t> nr) const;
  std::optional<std::uint32_t> syscallNumber(std::size_t index) const;
  // Why the instruction cannot be moved into a stub, or nullopt.
  [[nodiscard]] std::optional<LeaveReason>
  movable(std::size_t index, bool afterSyscall, MovedInsn &moved) const;
  bool reachable(std::uint64_t address) const;

  const ElfView &elf_;
  const CodeMap &code_;
  std::uint64_t stubArea_;
  std::optional<std::uint64_t> cpBegin_, cpEnd_;
  std::uint64_t claimedEnd_ = 0; // end of the last replaced range
};

} // namespace kml::rewrite
