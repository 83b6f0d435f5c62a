#include "kml/section_table.hpp"

#include "bytes.hpp"

#include <cstdint>
#include <cstring>

namespace kml {
namespace {

using detail::fitsInFile;

void appendRaw(std::vector<std::byte> &bytes, const void *data,
               std::size_t size) {
  const auto *first = static_cast<const std::byte *>(data);
  bytes.insert(bytes.end(), first, first + size);
}

// Room for the new names in a name table whose offsets are 32-bit.
constexpr std::uint64_t kMaxNamesSize = UINT32_MAX - 0x10000;

} // namespace

bool appendSections(std::vector<std::byte> &bytes, Elf64_Ehdr &ehdr,
                    std::span<const AddedSection> added) {
  if (ehdr.e_shoff == 0 || ehdr.e_shentsize != sizeof(Elf64_Shdr) ||
      ehdr.e_shnum == 0 || ehdr.e_shnum + added.size() >= SHN_LORESERVE ||
      ehdr.e_shstrndx == SHN_UNDEF || ehdr.e_shstrndx >= ehdr.e_shnum ||
      !fitsInFile(ehdr.e_shoff, ehdr.e_shnum * sizeof(Elf64_Shdr),
                  bytes.size())) {
    return false;
  }
  std::vector<Elf64_Shdr> sections(ehdr.e_shnum);
  std::memcpy(sections.data(), bytes.data() + ehdr.e_shoff,
              sections.size() * sizeof(Elf64_Shdr));
  const Elf64_Shdr names = sections[ehdr.e_shstrndx];
  std::uint64_t addedNames = 0;
  for (const AddedSection &section : added) {
    addedNames += section.name.size() + 1;
  }
  if (names.sh_type != SHT_STRTAB ||
      !fitsInFile(names.sh_offset, names.sh_size, bytes.size()) ||
      names.sh_size + addedNames > kMaxNamesSize) {
    return false;
  }

  // Copied first: appending may move the vector's storage.
  const std::vector<std::byte> oldNames(
      bytes.begin() + static_cast<std::ptrdiff_t>(names.sh_offset),
      bytes.begin() +
          static_cast<std::ptrdiff_t>(names.sh_offset + names.sh_size));
  const std::uint64_t namesOffset = bytes.size();
  appendRaw(bytes, oldNames.data(), oldNames.size());
  std::uint64_t nameOffset = names.sh_size;
  for (const AddedSection &section : added) {
    Elf64_Shdr header = section.header;
    header.sh_name = static_cast<Elf64_Word>(nameOffset);
    appendRaw(bytes, section.name.data(), section.name.size());
    bytes.push_back(std::byte{0});
    nameOffset += section.name.size() + 1;
    sections.push_back(header);
  }
  sections[ehdr.e_shstrndx].sh_offset = namesOffset;
  sections[ehdr.e_shstrndx].sh_size = nameOffset;

  bytes.resize(detail::alignUp(bytes.size(), alignof(Elf64_Shdr)));
  ehdr.e_shoff = bytes.size();
  ehdr.e_shnum = static_cast<Elf64_Half>(sections.size());
  appendRaw(bytes, sections.data(), sections.size() * sizeof(Elf64_Shdr));
  return true;
}

} // namespace kml
