#include "image_memory.hpp"

#include <cstring>

namespace kml {
namespace {

template <typename T>
std::optional<T> readAt(std::span<const std::byte> file, std::uint64_t offset) {
  if (offset > file.size() || file.size() - offset < sizeof(T)) {
    return std::nullopt;
  }
  T value{};
  std::memcpy(&value, file.data() + offset, sizeof(T));
  return value;
}

std::string nameAt(std::span<const std::byte> file, const Elf64_Shdr &strtab,
                   std::uint32_t offset) {
  if (strtab.sh_offset > file.size() ||
      file.size() - strtab.sh_offset < strtab.sh_size ||
      offset >= strtab.sh_size) {
    return {};
  }
  std::string name;
  for (std::uint64_t i = strtab.sh_offset + offset;
       i < strtab.sh_offset + strtab.sh_size; ++i) {
    const char c = std::to_integer<char>(file[i]);
    if (c == '\0') {
      break;
    }
    name.push_back(c);
  }
  return name;
}

} // namespace

std::vector<SectionInfo> readSections(std::span<const std::byte> file,
                                      const Elf64_Ehdr &header) {
  if (header.e_shoff == 0 || header.e_shnum == 0 ||
      header.e_shentsize != sizeof(Elf64_Shdr) ||
      header.e_shstrndx >= header.e_shnum) {
    return {};
  }
  std::vector<Elf64_Shdr> headers;
  for (std::size_t i = 0; i < header.e_shnum; ++i) {
    auto sh = readAt<Elf64_Shdr>(file, header.e_shoff + i * sizeof(Elf64_Shdr));
    if (!sh) {
      return {};
    }
    headers.push_back(*sh);
  }
  const Elf64_Shdr &strtab = headers[header.e_shstrndx];
  std::vector<SectionInfo> sections;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const Elf64_Shdr &sh = headers[i];
    sections.push_back({.name = nameAt(file, strtab, sh.sh_name),
                        .index = i,
                        .address = sh.sh_addr,
                        .offset = sh.sh_offset,
                        .size = sh.sh_size,
                        .flags = sh.sh_flags,
                        .type = sh.sh_type,
                        .headerOffset = header.e_shoff + i * sizeof(Elf64_Shdr),
                        .nameOffset = sh.sh_name});
  }
  return sections;
}

ImageMemory::ImageMemory(std::span<const std::byte> file,
                         std::span<const Elf64_Phdr> programHeaders)
    : file_(file) {
  for (const Elf64_Phdr &ph : programHeaders) {
    if (ph.p_type == PT_LOAD) {
      loads_.push_back(ph);
    }
  }
}

std::optional<std::uint64_t> ImageMemory::fileOffset(std::uint64_t address,
                                                     std::uint64_t size) const {
  for (const Elf64_Phdr &ph : loads_) {
    if (address < ph.p_vaddr || address - ph.p_vaddr > ph.p_filesz ||
        ph.p_filesz - (address - ph.p_vaddr) < size) {
      continue;
    }
    const std::uint64_t offset = ph.p_offset + (address - ph.p_vaddr);
    if (offset <= file_.size() && file_.size() - offset >= size) {
      return offset;
    }
  }
  return std::nullopt;
}

std::optional<std::span<const std::byte>>
ImageMemory::at(std::uint64_t address, std::uint64_t size) const {
  const auto offset = fileOffset(address, size);
  if (!offset) {
    return std::nullopt;
  }
  return file_.subspan(*offset, size);
}

std::span<const std::byte> ImageMemory::upTo(std::uint64_t address,
                                             std::uint64_t size) const {
  for (std::uint64_t n = size; n > 0; --n) {
    if (auto bytes = at(address, n)) {
      return *bytes;
    }
  }
  return {};
}

} // namespace kml
