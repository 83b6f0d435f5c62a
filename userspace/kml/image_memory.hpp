#pragma once
// A program's file seen as its memory: the bytes each PT_LOAD maps at a
// virtual address, and its section headers by name. Read-only views over
// bytes the caller keeps alive; everything is bounds-checked.

#include <elf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kml {

struct SectionInfo {
  std::string name;
  std::size_t index = 0;
  std::uint64_t address = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint64_t flags = 0;
  std::uint32_t type = 0;
  std::uint64_t headerOffset = 0; // of its Elf64_Shdr in the file
  std::uint32_t nameOffset = 0;   // sh_name, in the section name table

  [[nodiscard]] bool containsAddress(std::uint64_t a) const {
    return a >= address && a - address < size;
  }
  [[nodiscard]] bool isCode() const {
    return type == SHT_PROGBITS && (flags & SHF_ALLOC) != 0 &&
           (flags & SHF_EXECINSTR) != 0;
  }
};

// The section headers, with names; none when the file has none or they do
// not fit in it (the program headers stay the truth).
std::vector<SectionInfo> readSections(std::span<const std::byte> file,
                                      const Elf64_Ehdr &header);

class ImageMemory {
public:
  ImageMemory(std::span<const std::byte> file,
              std::span<const Elf64_Phdr> programHeaders);

  // The file offset of [address, address + size), when one PT_LOAD maps it
  // all from the file.
  [[nodiscard]] std::optional<std::uint64_t>
  fileOffset(std::uint64_t address, std::uint64_t size) const;
  // The bytes at [address, address + size), when one PT_LOAD maps them.
  [[nodiscard]] std::optional<std::span<const std::byte>>
  at(std::uint64_t address, std::uint64_t size) const;
  // As many bytes as are mapped from address on, up to `size`.
  [[nodiscard]] std::span<const std::byte> upTo(std::uint64_t address,
                                                std::uint64_t size) const;

private:
  std::span<const std::byte> file_;
  std::vector<Elf64_Phdr> loads_;
};

} // namespace kml
