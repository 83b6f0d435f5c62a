// Linear-sweep scanner over one executable region: decodes every
// instruction, applies the rules, skips padding, and resynchronises at
// function symbols.
#pragma once

#include "kml/binary_validator.hpp"
#include "symbol_index.hpp"

#include <Zydis/Zydis.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace kml::binval::detail {

// Renders one instruction for a finding. Separate from the scanner because
// findings are rare: the full decoder and formatter run only for them.
class InstructionPrinter {
public:
  InstructionPrinter();
  std::string print(std::span<const std::byte> bytes,
                    std::uint64_t address) const;

private:
  ZydisDecoder decoder_;
  ZydisFormatter formatter_{};
};

class CodeScanner {
public:
  CodeScanner();

  // Scans `code` loaded at `address`; appends findings and counts to
  // `report`. Findings come out in ascending address order. `stubSlot` is
  // set only when the region holds `kml rewrite` stubs: the address of
  // their entry slot. Then a `syscall` that is exactly a stub's fallback
  // (isStubFallback) is counted, not reported.
  void scan(std::span<const std::byte> code, std::uint64_t address,
            const SymbolIndex &symbols, Report &report,
            std::optional<std::uint64_t> stubSlot = std::nullopt) const;

private:
  static bool isStubFallback(std::span<const std::byte> code,
                             std::uint64_t address, std::uint64_t offset,
                             std::uint64_t stubSlot);

  ZydisDecoder decoder_; // minimal mode: mnemonic, opcode, raw fields only
  InstructionPrinter printer_;
};

} // namespace kml::binval::detail
