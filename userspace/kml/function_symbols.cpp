#include "function_symbols.hpp"

#include "kml/file_io.hpp"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <exception>
#include <optional>
#include <sstream>
#include <string_view>

namespace kml {
namespace {

// A T at byte `offset` of `bytes`, if the file holds one there.
template <typename T>
std::optional<T> readAt(std::span<const std::byte> bytes,
                        std::uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
    return std::nullopt;
  }
  T value{};
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

// The NUL-terminated string at `offset` of a string table section.
std::string_view stringAt(std::span<const std::byte> bytes,
                          const Elf64_Shdr &table, std::uint64_t offset) {
  if (table.sh_offset > bytes.size() ||
      table.sh_size > bytes.size() - table.sh_offset ||
      offset >= table.sh_size) {
    return {};
  }
  const auto *start =
      reinterpret_cast<const char *>(bytes.data()) + table.sh_offset + offset;
  return {start, strnlen(start, table.sh_size - offset)};
}

} // namespace

FunctionSymbols FunctionSymbols::fromFile(const std::filesystem::path &file) {
  try {
    return fromBytes(readWholeFile(file));
  } catch (const std::exception &) {
    return {}; // names are a help: an unreadable file has none
  }
}

FunctionSymbols FunctionSymbols::fromBytes(std::span<const std::byte> bytes) {
  FunctionSymbols symbols;
  const auto header = readAt<Elf64_Ehdr>(bytes, 0);
  if (!header || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
      header->e_ident[EI_CLASS] != ELFCLASS64 ||
      header->e_shentsize != sizeof(Elf64_Shdr)) {
    return symbols;
  }
  if (header->e_type != ET_EXEC) {
    return symbols; // loaded where the trace does not say
  }
  for (std::uint64_t i = 0; i < header->e_phnum; ++i) {
    const auto phdr =
        readAt<Elf64_Phdr>(bytes, header->e_phoff + i * sizeof(Elf64_Phdr));
    if (!phdr || phdr->p_type != PT_LOAD) {
      continue;
    }
    if (symbols.mappedEnd_ == 0 || phdr->p_vaddr < symbols.mappedStart_) {
      symbols.mappedStart_ = phdr->p_vaddr;
    }
    symbols.mappedEnd_ =
        std::max(symbols.mappedEnd_, phdr->p_vaddr + phdr->p_memsz);
  }
  const auto section = [&](std::uint64_t index) {
    return readAt<Elf64_Shdr>(bytes,
                              header->e_shoff + index * sizeof(Elf64_Shdr));
  };
  const auto names = section(header->e_shstrndx);
  for (std::uint64_t i = 0; i < header->e_shnum; ++i) {
    const auto shdr = section(i);
    if (!shdr) {
      break;
    }
    if (names && stringAt(bytes, *names, shdr->sh_name) == ".kml.text") {
      symbols.stubsStart_ = shdr->sh_addr;
      symbols.stubsEnd_ = shdr->sh_addr + shdr->sh_size;
    }
    if (shdr->sh_type != SHT_SYMTAB || shdr->sh_entsize != sizeof(Elf64_Sym)) {
      continue;
    }
    const auto strings = section(shdr->sh_link);
    for (std::uint64_t at = 0;
         strings && at + sizeof(Elf64_Sym) <= shdr->sh_size;
         at += sizeof(Elf64_Sym)) {
      const auto sym = readAt<Elf64_Sym>(bytes, shdr->sh_offset + at);
      if (!sym) {
        break;
      }
      if (ELF64_ST_TYPE(sym->st_info) == STT_FUNC && sym->st_value != 0) {
        symbols.byStart_.try_emplace(
            sym->st_value,
            Function{sym->st_size,
                     std::string(stringAt(bytes, *strings, sym->st_name))});
      }
    }
  }
  return symbols;
}

std::string FunctionSymbols::describe(std::uint64_t address) const {
  if (address < mappedStart_ || address >= mappedEnd_) {
    return {};
  }
  if (address >= stubsStart_ && address < stubsEnd_) {
    return "a kml stub";
  }
  auto found = byStart_.upper_bound(address);
  if (found == byStart_.begin()) {
    return {};
  }
  --found;
  const std::uint64_t offset = address - found->first;
  // A function of unknown size (size 0) names its first byte only.
  if (offset >= std::max<std::uint64_t>(found->second.size, 1)) {
    return {};
  }
  std::ostringstream text;
  text << found->second.name << "+0x" << std::hex << offset;
  return text.str();
}

} // namespace kml
