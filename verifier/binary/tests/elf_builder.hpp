// Test helper: wraps a code buffer into a minimal, valid static ELF64
// x86-64 executable (one PF_X PT_LOAD; .text, .symtab, .strtab, .shstrtab),
// so tests can exercise the ELF path and then corrupt single fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kml::binval::test {

struct TestSymbol {
  std::string name;
  std::uint64_t offset; // from the start of .text
  std::uint64_t size;
};

struct ElfLayout {
  std::uint64_t textAddress = 0x401000;
  bool withSections = true;
  bool withSymbols = true; // false: "stripped", no .symtab/.strtab
  std::vector<TestSymbol> symbols;
  std::string textName = ".text"; // ".kml.text": the rewriter's stubs
  // Nonzero: a writable PT_LOAD at this address (1 KiB, zero) comes right
  // before the code's in the program header table, described by a section
  // named dataName, as `kml rewrite` lays out its entry slot and stubs.
  std::uint64_t dataAddress = 0;
  std::string dataName = ".kml.data";
};

// Offsets of the interesting parts of a built image, for corruption tests.
struct BuiltElf {
  std::vector<std::byte> bytes;
  std::uint64_t textOffset = 0;
  std::uint64_t sectionTableOffset = 0;
  std::uint64_t textSectionHeaderOffset = 0; // of .text's Elf64_Shdr
};

BuiltElf buildElf(std::span<const std::uint8_t> code, const ElfLayout &layout);

} // namespace kml::binval::test
