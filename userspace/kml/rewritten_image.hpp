#pragma once
// Undoing `kml rewrite` in memory, so that `kml explain` can show a
// rewritten program's original instructions and ask the rewriter's
// analysis about them. Each rewritten site is `jmp stub` and nops; its
// stub holds the instructions moved from before and after the `syscall`
// (docs/syscall-shim.md, "A stub"). Putting them back, RIP-relative
// displacements recomputed for their old place, with the `syscall`
// between, gives the original bytes; each trap byte (06) that the sweep
// finds where an instruction should start becomes a `hlt` (f4) again.

#include "kml/elf_image.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace kml {

class X86Decoder;

// Why a rewritten file's original cannot be rebuilt.
class RecoveryError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct RecoveredSite {
  std::uint64_t start = 0; // the replaced range [start, end)
  std::uint64_t end = 0;
  std::uint64_t syscall = 0; // where the `syscall` was
  std::uint64_t stub = 0;
};

struct RestoredImage {
  // The file with the sites and halts put back, and its stub section
  // renamed (.kml.stub) and no longer code, so that the rewriter's
  // analysis reads it as a program that was never rewritten.
  std::vector<std::byte> bytes;
  std::vector<RecoveredSite> sites; // ascending
  std::size_t haltsRestored = 0;
};

// Whether `kml rewrite` made this file (it has a .kml.text section).
bool isRewritten(const ElfImage &image);

// Throws RecoveryError.
RestoredImage restoreOriginal(const ElfImage &rewritten,
                              const X86Decoder &decoder);

} // namespace kml
