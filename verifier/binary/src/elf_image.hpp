// Reads a static x86-64 ELF image with libelf: checks that every table and
// section it relies on lies inside the file, then exposes the executable code
// and the function symbols. Knows nothing about instructions.
#pragma once

#include "kml/binary_validator.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct Elf; // libelf's handle

namespace kml::binval::detail {

struct CodeRegion {
  std::string name; // section name, or "PT_LOAD[i]" without sections
  std::uint64_t address = 0;
  std::span<const std::byte> bytes;
  // Set only where `kml rewrite` put its stubs (the .kml.text section, or
  // without sections the executable PT_LOAD right after a writable one):
  // the address of their entry slot, the first word of the rewriter's
  // writable segment (.kml.data). Only here, and only naming this slot, may
  // a stub's fallback `syscall` pass (CodeScanner::isStubFallback). A slot
  // anywhere else (read-only memory holding 0) could make the fallback the
  // path always taken at CPL 0.
  std::optional<std::uint64_t> stubSlot;
};

class ElfImage {
public:
  // `image` must outlive the ElfImage; libelf may rewrite it in place (it
  // is a private copy or a copy-on-write mapping). Throws Error.
  explicit ElfImage(std::span<std::byte> image);

  const std::vector<CodeRegion> &codeRegions() const { return code_; }
  // Allocated non-code sections that an executable segment maps.
  struct DataInCode {
    std::string section;
    std::uint64_t address = 0;
    std::uint64_t size = 0;
  };
  const std::vector<DataInCode> &dataInCode() const { return dataInCode_; }
  // Function symbols, preferred alias first (global, then weak, then local).
  const std::vector<Symbol> &symbols() const { return symbols_; }

private:
  struct ElfDeleter {
    void operator()(Elf *elf) const;
  };

  void checkIdent() const;
  void checkHeader();
  void readSections();
  void readSegments(bool sectionsKnown);
  void readSymbols(std::size_t symtabIndex);
  std::span<const std::byte> fileRange(std::uint64_t offset, std::uint64_t size,
                                       const std::string &what) const;

  std::span<std::byte> image_;
  std::unique_ptr<Elf, ElfDeleter> elf_;
  struct SectionSpan {
    std::string name;
    std::uint64_t address;
    std::uint64_t size;
    std::uint64_t offset; // in the file
    bool exec;
  };
  static void checkMappedAt(const SectionSpan &section,
                            std::uint64_t segmentOffset,
                            std::uint64_t segmentAddress,
                            const std::string &segment);
  std::vector<SectionSpan> allocated_;
  // File ranges of the ELF header and the program header table, merged
  // when adjacent. `kml mark` and `kml rewrite` move the table to the end
  // of the file, so the two need not touch.
  struct FileRange {
    std::string name;
    std::uint64_t offset;
    std::uint64_t size;
  };
  std::vector<FileRange> headers_;
  std::vector<CodeRegion> code_;
  std::vector<DataInCode> dataInCode_;
  std::vector<Symbol> symbols_;
  // Starts of writable, non-executable PT_LOADs, and .kml.data's address.
  std::vector<std::uint64_t> writableSegments_;
  std::optional<std::uint64_t> kmlData_;
};

} // namespace kml::binval::detail
