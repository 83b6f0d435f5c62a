#pragma once
// The code the rewriter adds: one stub per rewritten site, and the entry
// prologue that finds AT_KML_ENTRY. docs/syscall-shim.md shows the layout.

#include "code_writer.hpp"
#include "site_planner.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace kml::rewrite {

// Addresses in the added writable segment.
struct SlotLayout {
  std::uint64_t entrySlot = 0; // 8 bytes: AT_KML_ENTRY or 0
  std::uint64_t saveArea = 0;  // 3 x 8 bytes for the prologue
  // Only used by the test entry (writeTestEntry).
  std::uint64_t restartFlag = 0; // 8 bytes
  std::uint64_t stashTop = 0;    // 8 bytes: next free stash word
  // Only used by a library's finder (writeFinder): 1 once it has looked.
  std::uint64_t looked = 0; // 8 bytes
  std::uint64_t stash = 0;  // return addresses of calls in progress
  static constexpr std::uint64_t kSize = 1024;

  explicit SlotLayout(std::uint64_t base = 0)
      : entrySlot(base), saveArea(base + 8), restartFlag(base + 32),
        stashTop(base + 40), looked(base + 48), stash(base + 64) {}
};

// Emits the prologue at out.here(): scans the auxiliary vector for
// AT_KML_ENTRY, stores it (or `fallback`, normally 0) in the slot,
// restores every register and the flags, runs `displaced` (the
// instructions a loader's entry hook moved, see entry_hook.hpp; none for
// a program) and jumps to `resume`.
void writePrologue(CodeWriter &out, const SlotLayout &slots,
                   std::span<const MovedInsn> displaced, std::uint64_t resume,
                   std::optional<std::uint64_t> fallback);

// A library has no entry of its own to run a prologue: its stubs find the
// direct entry the first time one of them runs, with this routine (one
// per library). A stub calls it below the red zone; it reads the initial
// stack's address from the loader's __libc_stack_end (through the
// library's GOT entry `stackEndGot`), walks argv and envp to the
// auxiliary vector, stores AT_KML_ENTRY (if there is one) in the slot,
// sets `looked`, and returns. It keeps every register but %rcx, and the
// flags. Returns its address.
std::uint64_t writeFinder(CodeWriter &out, const SlotLayout &slots,
                          std::uint64_t stackEndGot);

// Test only (`kml rewrite --test-entry`): an entry with the kernel's
// calling convention, built from `syscall`, so that the direct path of the
// stubs runs at CPL 3. Every call is first bounced back to the return
// address minus 2, as the kernel does to restart a call, so the restart
// path runs too. It keeps return addresses in a small stack in the slot
// segment: correct for one thread (signal handlers nest fine), not for
// threads or vfork. Returns its address.
std::uint64_t writeTestEntry(CodeWriter &out, const SlotLayout &slots);

// Emits the stub for one site at out.here() (16-byte aligned) and returns
// its address. With a finder (a library's), a stub that finds the slot
// empty calls the finder once before it settles for `syscall`.
std::uint64_t writeStub(CodeWriter &out, const SlotLayout &slots,
                        const SitePlan &plan,
                        std::optional<std::uint64_t> finder = std::nullopt);

// The bytes that replace [plan.start, plan.end): `jmp stub`, then nops
// (never executed: nothing jumps into the range).
std::vector<std::byte> siteJump(const SitePlan &plan, std::uint64_t stub);

} // namespace kml::rewrite
