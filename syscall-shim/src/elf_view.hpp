#pragma once
// Read-only views of the parts of a static executable or shared object
// the rewriter needs
// beyond the program headers: executable regions, symbols, and the file
// bytes behind a virtual address. Everything is bounds-checked; a section
// table that does not fit is ignored (the program headers stay the truth).

#include "kml/elf_image.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kml::rewrite {

// A run of bytes mapped at `address`, backed by the file at `offset`.
struct Region {
  std::uint64_t address = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::string name;

  bool contains(std::uint64_t a) const {
    return a >= address && a - address < size;
  }
};

struct Symbol {
  std::string name;
  std::uint64_t address = 0;
  std::uint64_t size = 0;
};

class ElfView {
public:
  explicit ElfView(const ElfImage &image);

  std::span<const std::byte> bytes() const { return bytes_; }
  // Executable sections (SHF_EXECINSTR); without section headers, the
  // executable PT_LOAD segments.
  const std::vector<Region> &code() const { return code_; }
  // File-backed bytes of the PT_LOADs that are not executable code.
  const std::vector<Region> &data() const { return data_; }
  // Symbols that start inside code, by address (first name wins).
  const std::map<std::uint64_t, Symbol> &symbols() const { return symbols_; }
  // Whether every function has a symbol (.symtab), or only the exported
  // ones do (.dynsym of a stripped library).
  bool symbolsComplete() const { return symbolsComplete_; }
  // The GOT entry that the dynamic loader fills with the address of
  // `symbol` (an R_X86_64_GLOB_DAT relocation), if the file has one.
  std::optional<std::uint64_t> gotEntryOf(const std::string &symbol) const;
  // Addresses of R_X86_64_RELATIVE addends (static-pie), which are the
  // pointers the program stores in its data.
  const std::vector<std::uint64_t> &relativeAddends() const { return addends_; }
  // True when a relocation (static-pie, or text relocations) patches a
  // byte in [start, end) at load time: those bytes must not move.
  bool relocatedInside(std::uint64_t start, std::uint64_t end) const;
  bool inCode(std::uint64_t address) const;
  // When address lies in a data object (STT_OBJECT) inside code: its end.
  std::optional<std::uint64_t> dataObjectEnd(std::uint64_t address) const;
  // The file bytes at [address, address + size) if some PT_LOAD holds them.
  std::optional<std::span<const std::byte>> at(std::uint64_t address,
                                               std::uint64_t size) const;
  // "name+0x12", or "" when no symbol covers the address.
  std::string describe(std::uint64_t address) const;
  const Symbol *symbolAt(std::uint64_t address) const;
  bool hasSections() const { return hasSections_; }
  bool hasSection(const std::string &name) const;
  // Address of the first allocated section called `name`.
  std::optional<std::uint64_t> sectionAddress(const std::string &name) const;

private:
  void readSections(const ElfImage &image);
  void readSegments(const ElfImage &image);
  void readRelocations(const std::vector<Elf64_Shdr> &sections,
                       const Elf64_Shdr &sh);
  void readGotEntries(const std::vector<Elf64_Shdr> &sections,
                      const Elf64_Shdr &sh,
                      const std::vector<Elf64_Rela> &relas);

  std::span<const std::byte> bytes_;
  std::vector<Elf64_Phdr> loads_;
  std::vector<Region> code_;
  std::vector<Region> data_;
  std::map<std::uint64_t, Symbol> symbols_;
  std::vector<std::uint64_t> addends_;
  std::vector<std::string> sectionNames_;
  std::vector<std::uint64_t> sectionAddresses_;       // parallel to the names
  std::map<std::uint64_t, std::uint64_t> dataInCode_; // start -> end
  std::vector<std::uint64_t> relocated_; // r_offset of every relocation
  std::map<std::string, std::uint64_t> gotEntries_; // symbol -> GOT entry
  bool hasSections_ = false;
  bool symbolsComplete_ = false;
};

} // namespace kml::rewrite
