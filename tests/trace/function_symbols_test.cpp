#include "function_symbols.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <elf.h>
#include <string>
#include <vector>

namespace kml {
namespace {

// A minimal ELF64 file: the header, one PT_LOAD over 0x400000-0x510000, a
// .symtab with three functions (one of unknown size) and an object, its
// .strtab, a .kml.text and the section names.
class TinyElf {
public:
  explicit TinyElf(std::uint16_t type = ET_EXEC) {
    const std::string strtab =
        std::string("\0getpid\0write\0table\0_fini\0", 26);
    const std::string shstrtab =
        std::string("\0.symtab\0.strtab\0.shstrtab\0.kml.text\0", 37);
    std::vector<Elf64_Sym> syms(5);
    syms[1] = symbol(1, STT_FUNC, 0x401000, 0x20); // getpid
    syms[2] = symbol(8, STT_FUNC, 0x401100, 0x40); // write
    syms[3] = symbol(14, STT_OBJECT, 0x402000, 8); // table
    syms[4] = symbol(20, STT_FUNC, 0x403000, 0);   // _fini, size unknown

    Elf64_Ehdr header{};
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS64;
    header.e_type = type;
    header.e_shentsize = sizeof(Elf64_Shdr);
    header.e_phentsize = sizeof(Elf64_Phdr);
    append(&header, sizeof(header));
    Elf64_Phdr load{};
    load.p_type = PT_LOAD;
    load.p_vaddr = 0x400000;
    load.p_memsz = 0x110000;
    header.e_phoff = append(&load, sizeof(load));
    header.e_phnum = 1;
    const std::size_t symOff =
        append(syms.data(), syms.size() * sizeof(Elf64_Sym));
    const std::size_t strOff = append(strtab.data(), strtab.size());
    const std::size_t shstrOff = append(shstrtab.data(), shstrtab.size());

    std::vector<Elf64_Shdr> sections(5);
    sections[1] =
        section(1, SHT_SYMTAB, symOff, syms.size() * sizeof(Elf64_Sym));
    sections[1].sh_link = 2;
    sections[1].sh_entsize = sizeof(Elf64_Sym);
    sections[2] = section(9, SHT_STRTAB, strOff, strtab.size());
    sections[3] = section(17, SHT_STRTAB, shstrOff, shstrtab.size());
    sections[4] = section(27, SHT_PROGBITS, 0, 0x100);
    sections[4].sh_addr = 0x500000;
    const std::size_t shOff =
        append(sections.data(), sections.size() * sizeof(Elf64_Shdr));
    header.e_shoff = shOff;
    header.e_shnum = sections.size();
    header.e_shstrndx = 3;
    std::memcpy(bytes_.data(), &header, sizeof(header));
  }

  [[nodiscard]] const std::vector<std::byte> &bytes() const { return bytes_; }

private:
  static Elf64_Sym symbol(std::uint32_t name, unsigned type,
                          std::uint64_t value, std::uint64_t size) {
    Elf64_Sym sym{};
    sym.st_name = name;
    sym.st_info = ELF64_ST_INFO(STB_GLOBAL, type);
    sym.st_value = value;
    sym.st_size = size;
    return sym;
  }
  static Elf64_Shdr section(std::uint32_t name, std::uint32_t type,
                            std::uint64_t offset, std::uint64_t size) {
    Elf64_Shdr shdr{};
    shdr.sh_name = name;
    shdr.sh_type = type;
    shdr.sh_offset = offset;
    shdr.sh_size = size;
    return shdr;
  }
  std::size_t append(const void *data, std::size_t size) {
    const std::size_t offset = bytes_.size();
    bytes_.resize(offset + size);
    std::memcpy(bytes_.data() + offset, data, size);
    return offset;
  }

  std::vector<std::byte> bytes_;
};

TEST(FunctionSymbols, AnAddressInAFunctionIsNamedWithItsOffset) {
  const TinyElf elf;
  const auto symbols = FunctionSymbols::fromBytes(elf.bytes());
  EXPECT_EQ("getpid+0x0", symbols.describe(0x401000));
  EXPECT_EQ("getpid+0x1f", symbols.describe(0x40101f));
  EXPECT_EQ("write+0x12", symbols.describe(0x401112));
}

TEST(FunctionSymbols, AnAddressOutsideEveryFunctionHasNoName) {
  const TinyElf elf;
  const auto symbols = FunctionSymbols::fromBytes(elf.bytes());
  EXPECT_EQ("", symbols.describe(0x400fff));
  EXPECT_EQ("", symbols.describe(0x401020)); // past getpid's size
  EXPECT_EQ("", symbols.describe(0x402000)); // an object, not a function
}

TEST(FunctionSymbols, AFunctionOfUnknownSizeNamesOnlyItsFirstByte) {
  const TinyElf elf;
  const auto symbols = FunctionSymbols::fromBytes(elf.bytes());
  EXPECT_EQ("_fini+0x0", symbols.describe(0x403000));
  EXPECT_EQ("", symbols.describe(0x403001));
}

TEST(FunctionSymbols, OnlyAddressesTheFileMapsAreNamed) {
  const TinyElf elf;
  const auto symbols = FunctionSymbols::fromBytes(elf.bytes());
  // Another file's code (ld.so, libc), far above: not this file's.
  EXPECT_EQ("", symbols.describe(0x7fc3c058136d));
  // A position-independent file: where it is loaded, the trace does not say.
  const TinyElf pie(ET_DYN);
  EXPECT_EQ("", FunctionSymbols::fromBytes(pie.bytes()).describe(0x401000));
}

TEST(FunctionSymbols, TheRewritersStubsAreNamedAsSuch) {
  const TinyElf elf;
  const auto symbols = FunctionSymbols::fromBytes(elf.bytes());
  EXPECT_EQ("a kml stub", symbols.describe(0x500010));
  EXPECT_EQ("", symbols.describe(0x500100));
}

TEST(FunctionSymbols, AFileThatIsNoElfOrIsCutShortNamesNothing) {
  const TinyElf elf;
  std::vector<std::byte> cut(elf.bytes().begin(), elf.bytes().begin() + 100);
  EXPECT_EQ("", FunctionSymbols::fromBytes(cut).describe(0x401000));
  const std::vector<std::byte> text(64, std::byte{'x'});
  EXPECT_EQ("", FunctionSymbols::fromBytes(text).describe(0x401000));
  EXPECT_EQ("", FunctionSymbols::fromFile("/nonexistent/file").describe(0));
}

} // namespace
} // namespace kml
