#include "elf_view.hpp"

#include "kml/text.hpp"

#include <algorithm>
#include <cstring>

namespace kml::rewrite {
namespace {

bool fits(std::uint64_t offset, std::uint64_t size, std::uint64_t total) {
  return offset <= total && size <= total - offset;
}

// `count` entries at `offset`, or none when they do not fit. A table
// shorter than one entry (sh_size < sh_entsize) has none: memcpy into an
// empty vector's null data() is undefined even for 0 bytes (found by
// tests/fuzz under UBSan).
template <class T>
std::vector<T> readArray(std::span<const std::byte> bytes, std::uint64_t offset,
                         std::uint64_t count) {
  if (count == 0 || count > bytes.size() / sizeof(T) ||
      !fits(offset, count * sizeof(T), bytes.size())) {
    return {};
  }
  std::vector<T> out(count);
  std::memcpy(out.data(), bytes.data() + offset, count * sizeof(T));
  return out;
}

} // namespace

ElfView::ElfView(const ElfImage &image) : bytes_(image.bytes()) {
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_LOAD) {
      loads_.push_back(ph);
    }
  }
  readSections(image);
  if (code_.empty()) {
    hasSections_ = false;
    symbols_.clear();
    addends_.clear();
  }
  readSegments(image);
  std::ranges::sort(relocated_);
}

// Sections are advisory (the kernel never reads them) but give the exact
// extent of code inside an executable segment and the symbols that mark
// function starts. Only sections whose bytes the program headers map the
// same way are believed.
void ElfView::readSections(const ElfImage &image) {
  const Elf64_Ehdr &eh = image.header();
  if (eh.e_shoff == 0 || eh.e_shnum == 0 ||
      eh.e_shentsize != sizeof(Elf64_Shdr)) {
    return;
  }
  const auto sections = readArray<Elf64_Shdr>(bytes_, eh.e_shoff, eh.e_shnum);
  if (sections.empty()) {
    return;
  }
  hasSections_ = true;
  auto sectionName = [&](const Elf64_Shdr &sh) -> std::string {
    if (eh.e_shstrndx >= sections.size()) {
      return "";
    }
    const Elf64_Shdr &names = sections[eh.e_shstrndx];
    if (!fits(names.sh_offset, names.sh_size, bytes_.size()) ||
        sh.sh_name >= names.sh_size) {
      return "";
    }
    const char *first =
        reinterpret_cast<const char *>(bytes_.data() + names.sh_offset);
    return {first + sh.sh_name,
            strnlen(first + sh.sh_name, names.sh_size - sh.sh_name)};
  };
  for (const Elf64_Shdr &sh : sections) {
    sectionNames_.push_back(sectionName(sh));
    sectionAddresses_.push_back((sh.sh_flags & SHF_ALLOC) ? sh.sh_addr : 0);
    if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_ALLOC) &&
        (sh.sh_flags & SHF_EXECINSTR) && sh.sh_size != 0 &&
        fits(sh.sh_offset, sh.sh_size, bytes_.size())) {
      Region r{sh.sh_addr, sh.sh_offset, sh.sh_size, sectionName(sh)};
      // Believe the section only if a PT_LOAD maps these file bytes there.
      const auto mapped = at(r.address, r.size);
      if (mapped && mapped->data() == bytes_.data() + r.offset) {
        code_.push_back(r);
      }
    }
  }
  // A shared library is usually stripped to its dynamic symbols: they
  // name the exported functions only, so code between them need not be
  // padding (symbolsComplete()).
  const bool haveSymtab = std::ranges::any_of(
      sections, [](const Elf64_Shdr &sh) { return sh.sh_type == SHT_SYMTAB; });
  symbolsComplete_ = haveSymtab;
  const unsigned symbolTable = haveSymtab ? SHT_SYMTAB : SHT_DYNSYM;
  for (const Elf64_Shdr &sh : sections) {
    readRelocations(sections, sh);
    if (sh.sh_type == symbolTable && sh.sh_entsize == sizeof(Elf64_Sym) &&
        sh.sh_link < sections.size()) {
      const Elf64_Shdr &strtab = sections[sh.sh_link];
      if (!fits(strtab.sh_offset, strtab.sh_size, bytes_.size())) {
        continue;
      }
      const char *strings =
          reinterpret_cast<const char *>(bytes_.data() + strtab.sh_offset);
      for (const Elf64_Sym &sym : readArray<Elf64_Sym>(
               bytes_, sh.sh_offset, sh.sh_size / sizeof(Elf64_Sym))) {
        const unsigned type = ELF64_ST_TYPE(sym.st_info);
        if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
            sym.st_name >= strtab.sh_size || !inCode(sym.st_value)) {
          continue;
        }
        // Data in code (OpenSSL's perlasm puts constant tables in .text as
        // STT_OBJECT): never decoded, never a site.
        if (type == STT_OBJECT && sym.st_size != 0) {
          dataInCode_.emplace(sym.st_value, sym.st_value + sym.st_size);
          continue;
        }
        if (type != STT_FUNC && type != STT_NOTYPE) {
          continue;
        }
        std::string name(
            strings + sym.st_name,
            strnlen(strings + sym.st_name, strtab.sh_size - sym.st_name));
        auto [it, added] = symbols_.try_emplace(
            sym.st_value, Symbol{name, sym.st_value, sym.st_size});
        // Prefer a sized function symbol over a label at the same address.
        if (!added && it->second.size == 0 && sym.st_size != 0) {
          it->second = Symbol{name, sym.st_value, sym.st_size};
        }
      }
    }
  }
}

// Every place a relocation writes at load time (RELA, REL and the packed
// RELR form), the addends of RELATIVE ones, and the GOT entries that name
// a symbol (GLOB_DAT).
void ElfView::readRelocations(const std::vector<Elf64_Shdr> &sections,
                              const Elf64_Shdr &sh) {
  if (sh.sh_type == SHT_RELA && sh.sh_entsize == sizeof(Elf64_Rela)) {
    const auto relas = readArray<Elf64_Rela>(bytes_, sh.sh_offset,
                                             sh.sh_size / sizeof(Elf64_Rela));
    for (const Elf64_Rela &rela : relas) {
      relocated_.push_back(rela.r_offset);
      if (ELF64_R_TYPE(rela.r_info) == R_X86_64_RELATIVE) {
        addends_.push_back(static_cast<std::uint64_t>(rela.r_addend));
      }
    }
    readGotEntries(sections, sh, relas);
  } else if (sh.sh_type == SHT_REL && sh.sh_entsize == sizeof(Elf64_Rel)) {
    for (const Elf64_Rel &rel : readArray<Elf64_Rel>(
             bytes_, sh.sh_offset, sh.sh_size / sizeof(Elf64_Rel))) {
      relocated_.push_back(rel.r_offset);
    }
  } else if (sh.sh_type == SHT_RELR && sh.sh_entsize == sizeof(Elf64_Relr)) {
    // An even entry is an address; an odd one a bitmap of the 63 words
    // after the last address (bit n: the word n above it).
    std::uint64_t next = 0;
    for (const Elf64_Relr entry : readArray<Elf64_Relr>(
             bytes_, sh.sh_offset, sh.sh_size / sizeof(Elf64_Relr))) {
      if ((entry & 1) == 0) {
        relocated_.push_back(entry);
        next = entry + 8;
        continue;
      }
      for (unsigned bit = 1; bit < 64; ++bit) {
        if ((entry >> bit) & 1) {
          relocated_.push_back(next + std::uint64_t{bit - 1} * 8);
        }
      }
      next += std::uint64_t{63} * 8;
    }
  }
}

void ElfView::readGotEntries(const std::vector<Elf64_Shdr> &sections,
                             const Elf64_Shdr &sh,
                             const std::vector<Elf64_Rela> &relas) {
  if (sh.sh_link >= sections.size()) {
    return;
  }
  const Elf64_Shdr &symtab = sections[sh.sh_link];
  if (symtab.sh_type != SHT_DYNSYM || symtab.sh_entsize != sizeof(Elf64_Sym) ||
      symtab.sh_link >= sections.size()) {
    return;
  }
  const Elf64_Shdr &strtab = sections[symtab.sh_link];
  if (!fits(strtab.sh_offset, strtab.sh_size, bytes_.size())) {
    return;
  }
  const auto symbols = readArray<Elf64_Sym>(bytes_, symtab.sh_offset,
                                            symtab.sh_size / sizeof(Elf64_Sym));
  const char *strings =
      reinterpret_cast<const char *>(bytes_.data() + strtab.sh_offset);
  for (const Elf64_Rela &rela : relas) {
    const std::uint64_t index = ELF64_R_SYM(rela.r_info);
    if (ELF64_R_TYPE(rela.r_info) != R_X86_64_GLOB_DAT ||
        index >= symbols.size() || symbols[index].st_name >= strtab.sh_size) {
      continue;
    }
    const std::uint32_t name = symbols[index].st_name;
    gotEntries_.try_emplace(
        std::string(strings + name,
                    strnlen(strings + name, strtab.sh_size - name)),
        rela.r_offset);
  }
}

std::optional<std::uint64_t>
ElfView::gotEntryOf(const std::string &symbol) const {
  const auto it = gotEntries_.find(symbol);
  if (it == gotEntries_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void ElfView::readSegments(const ElfImage &image) {
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type != PT_LOAD || ph.p_filesz == 0) {
      continue;
    }
    const bool executable = (ph.p_flags & PF_X) != 0;
    if (executable && !hasSections_) {
      code_.push_back(Region{ph.p_vaddr, ph.p_offset, ph.p_filesz,
                             cat("PT_LOAD@", Hex{ph.p_vaddr})});
    }
    if (!executable) {
      data_.push_back(Region{ph.p_vaddr, ph.p_offset, ph.p_filesz, ""});
    }
  }
  std::ranges::sort(code_, {}, &Region::address);
}

bool ElfView::inCode(std::uint64_t address) const {
  return std::ranges::any_of(
      code_, [&](const Region &r) { return r.contains(address); });
}

std::optional<std::span<const std::byte>>
ElfView::at(std::uint64_t address, std::uint64_t size) const {
  for (const Elf64_Phdr &ph : loads_) {
    if (address >= ph.p_vaddr && address - ph.p_vaddr <= ph.p_filesz &&
        size <= ph.p_filesz - (address - ph.p_vaddr)) {
      return bytes_.subspan(ph.p_offset + (address - ph.p_vaddr), size);
    }
  }
  return std::nullopt;
}

bool ElfView::relocatedInside(std::uint64_t start, std::uint64_t end) const {
  // A relocation patches up to 8 bytes from r_offset.
  auto it = std::ranges::lower_bound(relocated_, start > 7 ? start - 7 : 0);
  return it != relocated_.end() && *it < end;
}

std::optional<std::uint64_t>
ElfView::dataObjectEnd(std::uint64_t address) const {
  auto it = dataInCode_.upper_bound(address);
  if (it == dataInCode_.begin()) {
    return std::nullopt;
  }
  --it;
  if (it->second <= address) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<std::uint64_t>
ElfView::sectionAddress(const std::string &name) const {
  for (std::size_t i = 0; i < sectionNames_.size(); ++i) {
    if (sectionNames_[i] == name && sectionAddresses_[i] != 0) {
      return sectionAddresses_[i];
    }
  }
  return std::nullopt;
}

bool ElfView::hasSection(const std::string &name) const {
  return std::ranges::find(sectionNames_, name) != sectionNames_.end();
}

const Symbol *ElfView::symbolAt(std::uint64_t address) const {
  auto it = symbols_.upper_bound(address);
  while (it != symbols_.begin()) {
    --it;
    const Symbol &s = it->second;
    if (s.size == 0 || address - s.address < s.size) {
      return &s;
    }
    // A sized symbol that ends before the address: look no further back
    // than one, labels before it are not ours either.
    return nullptr;
  }
  return nullptr;
}

std::string ElfView::describe(std::uint64_t address) const {
  const Symbol *s = symbolAt(address);
  if (s == nullptr) {
    return "";
  }
  return cat(s->name, "+", Hex{address - s->address});
}

} // namespace kml::rewrite
