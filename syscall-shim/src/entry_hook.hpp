#pragma once
// A dynamic loader's entry point stays where it is: glibc's ld.so knows
// that it was run as a program (`ld.so PROGRAM`) only when AT_ENTRY is its
// own _start (elf/rtld.c), so the rewriter cannot move e_entry to its
// prologue as it does for a static program. Instead the first instructions
// at the entry become a `jmp` to the prologue, which runs them from there
// once it has found the direct entry, then jumps back after them.

#include "code_map.hpp"
#include "elf_view.hpp"
#include "site_planner.hpp"

#include <cstdint>
#include <vector>

namespace kml::rewrite {

struct EntryHook {
  std::uint64_t start = 0; // the entry point
  std::uint64_t end = 0;   // where the prologue resumes
  std::vector<MovedInsn> moved;
};

// Plans the hook at `entry`. Throws ElfError(Malformed) with the reason
// when the instructions there cannot be moved: a branch lands among them,
// a relocation patches them, or one is a control transfer other than a
// `call`/`jmp` with a 32-bit displacement (those are re-aimed).
EntryHook planEntryHook(const ElfView &elf, const CodeMap &code,
                        std::uint64_t entry);

} // namespace kml::rewrite
