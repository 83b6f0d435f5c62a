// kml binary validator: decodes the executable code of a static x86-64 ELF
// program and reports every instruction that must not run at CPL 0.
//
// The validator is the last gate of `kml build` (see docs/binary-validator.md
// for the rule table and the padding/data policy). It never modifies the
// file; callers decide what a non-empty report means (normally: reject).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kml::binval {

// One banned instruction (or undecodable byte run) found in the code.
struct Finding {
  std::uint64_t address;   // virtual address of the instruction
  std::string symbol;      // "name+0xOFF", or "?" when there are no symbols
  std::string instruction; // Intel syntax text, or ".byte 0x.." if undecodable
  std::string ruleId;      // stable rule ID, e.g. "KML-B001"
  std::string reason;      // one line: why this is banned at CPL 0
};

struct Report {
  std::vector<Finding> findings;  // in ascending address order
  std::uint64_t textBytes = 0;    // bytes of executable code examined
  std::uint64_t instructions = 0; // instructions decoded
  // `syscall`s accepted as the fallback of a `kml rewrite` stub (CPL 3
  // only; docs/binary-validator.md, "Rewriter stubs"). Not findings.
  std::uint64_t stubFallbacks = 0;
  // `mov $15,%rax; syscall` trampolines accepted: rt_sigreturn through the
  // kernel's slow path, which unwinders need to see unchanged
  // (docs/binary-validator.md, "The rt_sigreturn trampoline").
  std::uint64_t sigreturnTrampolines = 0;
  // Lone 0x06 bytes accepted: what `kml rewrite` makes of a hlt, a #UD at
  // any privilege (docs/binary-validator.md, "Halts").
  std::uint64_t haltTraps = 0;
};

// Thrown when the input is not a well-formed static x86-64 ELF file. The
// message says what is wrong and why it matters.
class Error : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Validates the ELF file at `elf`. Throws Error on an unreadable or malformed
// file; its message starts with "ELF: " (the path as given).
Report validateFile(const std::filesystem::path &elf);

// Same as validateFile, over an ELF image already in memory (tests, tools
// that hold the bytes). The image is copied; `image` is not modified.
Report validateImage(std::span<const std::byte> image);

// A function symbol, used to attribute findings and to resynchronise
// decoding at function starts.
struct Symbol {
  std::string name;
  std::uint64_t address = 0;
  std::uint64_t size =
      0; // 0: size unknown (covers nothing, still a resync point)
};

// Validates a raw code buffer that is loaded at `address`, as if it were one
// executable section with the given function symbols. This is the core the
// ELF entry points use; it is public for tests and for the syscall rewriter.
Report validateCode(std::span<const std::byte> code, std::uint64_t address,
                    std::span<const Symbol> symbols = {});

// The documented rule table, in ID order (for tools and docs).
struct RuleInfo {
  std::string_view id;
  std::string_view title;
};
std::span<const RuleInfo> rules();

} // namespace kml::binval
