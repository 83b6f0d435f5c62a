#pragma once
// One x86-64 instruction decoded and spelled in AT&T syntax (objdump's,
// and docs/syscall-shim.md's), with the few facts `kml explain` asks of
// it. RIP-relative operands and branch targets are printed as absolute
// addresses, so an instruction the rewriter moved into a stub reads the
// same there as at its original place.

#include <Zydis/Zydis.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kml {

struct DecodedInstruction {
  std::uint64_t address = 0;
  std::vector<std::byte> bytes;
  std::string text; // "mov $0x1,%eax"
  bool isSyscall = false;
  bool isNop = false;
  // `mov $N,%eax` or `mov $N,%rax`: the system call number it sets.
  std::optional<std::uint32_t> setsEaxTo;
  // A `jmp rel32` (e9): where it goes.
  std::optional<std::uint64_t> jumpTarget;
  // Where the 32-bit displacement of a RIP-relative memory operand lies
  // within the bytes, and the address it names.
  std::optional<std::size_t> ripDisplacementOffset;
  std::uint64_t ripTarget = 0;

  [[nodiscard]] std::size_t length() const { return bytes.size(); }
  [[nodiscard]] std::uint64_t end() const { return address + bytes.size(); }
};

class X86Decoder {
public:
  X86Decoder();

  // The instruction at the start of `bytes`, which lie at `address`; nothing
  // when they do not decode.
  [[nodiscard]] std::optional<DecodedInstruction>
  decode(std::span<const std::byte> bytes, std::uint64_t address) const;

private:
  ZydisDecoder decoder_{};
  ZydisFormatter formatter_{};
};

} // namespace kml
