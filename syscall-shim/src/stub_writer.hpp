#pragma once
// The code the rewriter adds: one stub per rewritten site, and the entry
// prologue that finds AT_KML_ENTRY. docs/syscall-shim.md shows the layout.

#include "code_writer.hpp"
#include "site_planner.hpp"

#include <cstdint>

namespace kml::rewrite {

// Addresses in the added writable segment.
struct SlotLayout {
  std::uint64_t entrySlot = 0; // 8 bytes: AT_KML_ENTRY or 0
  std::uint64_t saveArea = 0;  // 3 x 8 bytes for the prologue
  static constexpr std::uint64_t kSize = 64;
};

// Emits the prologue at out.here(): scans the auxiliary vector for
// AT_KML_ENTRY, stores it (or 0) in the slot, restores every register and
// the flags, and jumps to originalEntry.
void writePrologue(CodeWriter &out, const SlotLayout &slots,
                   std::uint64_t originalEntry);

// Emits the stub for one site at out.here() (16-byte aligned) and returns
// its address.
std::uint64_t writeStub(CodeWriter &out, const SlotLayout &slots,
                        const SitePlan &plan);

// The bytes that replace [plan.start, plan.end): `jmp stub`, then nops
// (never executed: nothing jumps into the range).
std::vector<std::byte> siteJump(const SitePlan &plan, std::uint64_t stub);

} // namespace kml::rewrite
