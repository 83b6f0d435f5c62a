#include "elf_builder.hpp"

#include <elf.h>

#include <cstring>

namespace kml::binval::test {
namespace {

// Appends raw structs and strings to a growing image.
class ImageWriter {
public:
  std::uint64_t size() const { return bytes_.size(); }
  template <typename T> std::uint64_t append(const T &value) {
    return appendBytes(&value, sizeof value);
  }
  std::uint64_t appendBytes(const void *data, std::size_t size) {
    std::uint64_t offset = bytes_.size();
    bytes_.resize(offset + size);
    std::memcpy(bytes_.data() + offset, data, size);
    return offset;
  }
  void align(std::size_t alignment) {
    bytes_.resize((bytes_.size() + alignment - 1) / alignment * alignment);
  }
  template <typename T> void patch(std::uint64_t offset, const T &value) {
    std::memcpy(bytes_.data() + offset, &value, sizeof value);
  }
  std::vector<std::byte> take() { return std::move(bytes_); }

private:
  std::vector<std::byte> bytes_;
};

class StringTable {
public:
  std::uint32_t add(const std::string &name) {
    auto offset = static_cast<std::uint32_t>(text_.size());
    text_ += name;
    text_ += '\0';
    return offset;
  }
  const std::string &text() const { return text_; }

private:
  std::string text_ = std::string(1, '\0');
};

} // namespace

BuiltElf buildElf(std::span<const std::uint8_t> code, const ElfLayout &layout) {
  ImageWriter out;
  BuiltElf built;
  Elf64_Ehdr ehdr{};
  std::memcpy(ehdr.e_ident, ELFMAG, SELFMAG);
  ehdr.e_ident[EI_CLASS] = ELFCLASS64;
  ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  ehdr.e_ident[EI_VERSION] = EV_CURRENT;
  ehdr.e_type = ET_EXEC;
  ehdr.e_machine = EM_X86_64;
  ehdr.e_version = EV_CURRENT;
  ehdr.e_entry = layout.textAddress;
  ehdr.e_ehsize = sizeof(Elf64_Ehdr);
  ehdr.e_phentsize = sizeof(Elf64_Phdr);
  ehdr.e_phnum = layout.dataAddress != 0 ? 2 : 1;
  ehdr.e_phoff = sizeof(Elf64_Ehdr);
  out.append(ehdr);
  std::uint64_t dataPhdrOffset = 0;
  Elf64_Phdr data{};
  if (layout.dataAddress != 0)
    dataPhdrOffset = out.append(Elf64_Phdr{});
  std::uint64_t phdrOffset = out.append(Elf64_Phdr{});

  if (layout.dataAddress != 0) {
    out.align(16);
    static constexpr std::uint8_t kZeros[8] = {};
    data.p_type = PT_LOAD;
    data.p_flags = PF_R | PF_W;
    data.p_offset = out.appendBytes(kZeros, sizeof kZeros);
    data.p_vaddr = data.p_paddr = layout.dataAddress;
    data.p_filesz = sizeof kZeros;
    data.p_memsz = 1024;
    data.p_align = 0x1000;
    out.patch(dataPhdrOffset, data);
  }

  out.align(16);
  built.textOffset = out.appendBytes(code.data(), code.size());

  Elf64_Phdr phdr{};
  phdr.p_type = PT_LOAD;
  phdr.p_flags = PF_R | PF_X;
  phdr.p_offset = built.textOffset;
  phdr.p_vaddr = phdr.p_paddr = layout.textAddress;
  phdr.p_filesz = phdr.p_memsz = code.size();
  phdr.p_align = 0x1000;
  out.patch(phdrOffset, phdr);

  if (layout.withSections) {
    StringTable names;
    StringTable strings;
    std::vector<Elf64_Sym> symbols(1); // entry 0 is the null symbol
    for (const TestSymbol &symbol : layout.symbols) {
      Elf64_Sym sym{};
      sym.st_name = strings.add(symbol.name);
      sym.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
      sym.st_shndx = 1; // .text
      sym.st_value = layout.textAddress + symbol.offset;
      sym.st_size = symbol.size;
      symbols.push_back(sym);
    }
    out.align(8);
    std::uint64_t symtabOffset =
        out.appendBytes(symbols.data(), symbols.size() * sizeof(Elf64_Sym));
    std::uint64_t strtabOffset =
        out.appendBytes(strings.text().data(), strings.text().size());

    std::vector<Elf64_Shdr> sections(1);
    Elf64_Shdr text{};
    text.sh_name = names.add(layout.textName);
    text.sh_type = SHT_PROGBITS;
    text.sh_flags = SHF_ALLOC | SHF_EXECINSTR;
    text.sh_addr = layout.textAddress;
    text.sh_offset = built.textOffset;
    text.sh_size = code.size();
    text.sh_addralign = 16;
    sections.push_back(text);
    if (layout.withSymbols) {
      Elf64_Shdr symtab{};
      symtab.sh_name = names.add(".symtab");
      symtab.sh_type = SHT_SYMTAB;
      symtab.sh_offset = symtabOffset;
      symtab.sh_size = symbols.size() * sizeof(Elf64_Sym);
      symtab.sh_link = 3; // .strtab
      symtab.sh_info = 1; // first non-local symbol
      symtab.sh_entsize = sizeof(Elf64_Sym);
      symtab.sh_addralign = 8;
      sections.push_back(symtab);
      Elf64_Shdr strtab{};
      strtab.sh_name = names.add(".strtab");
      strtab.sh_type = SHT_STRTAB;
      strtab.sh_offset = strtabOffset;
      strtab.sh_size = strings.text().size();
      strtab.sh_addralign = 1;
      sections.push_back(strtab);
    }
    if (layout.dataAddress != 0) {
      Elf64_Shdr kmlData{};
      kmlData.sh_name = names.add(layout.dataName);
      kmlData.sh_type = SHT_PROGBITS;
      kmlData.sh_flags = SHF_ALLOC | SHF_WRITE;
      kmlData.sh_addr = data.p_vaddr;
      kmlData.sh_offset = data.p_offset;
      kmlData.sh_size = data.p_filesz;
      kmlData.sh_addralign = 8;
      sections.push_back(kmlData);
    }
    Elf64_Shdr shstrtab{};
    shstrtab.sh_name = names.add(".shstrtab");
    shstrtab.sh_type = SHT_STRTAB;
    shstrtab.sh_addralign = 1;
    shstrtab.sh_offset =
        out.appendBytes(names.text().data(), names.text().size());
    shstrtab.sh_size = names.text().size();
    sections.push_back(shstrtab);

    out.align(8);
    built.sectionTableOffset =
        out.appendBytes(sections.data(), sections.size() * sizeof(Elf64_Shdr));
    built.textSectionHeaderOffset =
        built.sectionTableOffset + sizeof(Elf64_Shdr);
    ehdr.e_shoff = built.sectionTableOffset;
    ehdr.e_shentsize = sizeof(Elf64_Shdr);
    ehdr.e_shnum = static_cast<Elf64_Half>(sections.size());
    ehdr.e_shstrndx = static_cast<Elf64_Half>(sections.size() - 1);
    out.patch(0, ehdr);
  }
  built.bytes = out.take();
  return built;
}

} // namespace kml::binval::test
