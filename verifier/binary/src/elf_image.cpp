#include "elf_image.hpp"

#include <elf.h>
#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <tuple>

namespace kml::binval::detail {
namespace {

std::string hex(std::uint64_t value) {
  std::array<char, 16> digits{};
  char *end =
      std::to_chars(digits.data(), digits.data() + digits.size(), value, 16)
          .ptr;
  return "0x" + std::string(digits.data(), end);
}

[[noreturn]] void libelfFailure(const char *what) {
  // elf_errmsg() is NULL when libelf recorded no error.
  const char *message = elf_errmsg(elf_errno());
  throw Error(std::string("malformed ELF: ") + what + ": " +
              (message != nullptr ? message : "no details from libelf"));
}

void initLibelf() {
  // elf_version must run once before any other libelf call.
  static const bool ready = elf_version(EV_CURRENT) != EV_NONE;
  if (!ready)
    throw Error("internal error: libelf version mismatch");
}

// Lower rank names a shared address: global, then weak, then local; typed
// functions before untyped labels.
int aliasRank(const GElf_Sym &sym) {
  int binding = GELF_ST_BIND(sym.st_info) == STB_GLOBAL ? 0
                : GELF_ST_BIND(sym.st_info) == STB_WEAK ? 1
                                                        : 2;
  int type = GELF_ST_TYPE(sym.st_info) == STT_NOTYPE ? 1 : 0;
  return binding * 2 + type;
}

} // namespace

void ElfImage::ElfDeleter::operator()(Elf *elf) const { elf_end(elf); }

ElfImage::ElfImage(std::span<std::byte> image) : image_(image) {
  initLibelf();
  checkIdent();
  elf_.reset(
      elf_memory(reinterpret_cast<char *>(image_.data()), image_.size()));
  if (!elf_)
    libelfFailure("cannot open image");
  checkHeader();
}

// The identification bytes are checked by hand first: libelf accepts many
// files (archives, 32-bit objects) that the validator must refuse, and its
// messages for them are vague.
void ElfImage::checkIdent() const {
  static constexpr unsigned char kMagic[] = {0x7f, 'E', 'L', 'F'};
  if (image_.size() < EI_NIDENT ||
      std::memcmp(image_.data(), kMagic, sizeof kMagic) != 0)
    throw Error("not an ELF file: bad magic (expected 7f 45 4c 46)");
  auto ident = [&](int index) {
    return static_cast<unsigned char>(image_[index]);
  };
  if (ident(EI_CLASS) == ELFCLASS32)
    throw Error("32-bit ELF (ELFCLASS32) is not supported: kml runs x86-64 "
                "programs only");
  if (ident(EI_CLASS) != ELFCLASS64)
    throw Error("malformed ELF: invalid EI_CLASS " + hex(ident(EI_CLASS)));
  if (ident(EI_DATA) != ELFDATA2LSB)
    throw Error("not a little-endian ELF (EI_DATA " + hex(ident(EI_DATA)) +
                "): x86-64 programs are little-endian");
  // libelf takes another EI_VERSION for no ELF at all and would only say
  // "invalid `Elf' handle" later.
  if (ident(EI_VERSION) != EV_CURRENT)
    throw Error("malformed ELF: unknown ELF version " + hex(ident(EI_VERSION)) +
                " (EI_VERSION), expected 0x1");
  if (image_.size() < sizeof(Elf64_Ehdr))
    throw Error("truncated ELF header: file has " +
                std::to_string(image_.size()) + " bytes, the header needs " +
                std::to_string(sizeof(Elf64_Ehdr)));
}

std::span<const std::byte> ElfImage::fileRange(std::uint64_t offset,
                                               std::uint64_t size,
                                               const std::string &what) const {
  // Written to avoid overflow in offset + size.
  if (offset > image_.size() || size > image_.size() - offset)
    throw Error("malformed ELF: " + what + " [" + hex(offset) + ", " +
                hex(offset + size) + ") extends beyond the end of the file (" +
                std::to_string(image_.size()) + " bytes): truncated file?");
  return std::span<const std::byte>(image_).subspan(offset, size);
}

void ElfImage::checkHeader() {
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf_.get(), &ehdr) == nullptr)
    libelfFailure("cannot read ELF header");
  if (ehdr.e_machine != EM_X86_64)
    throw Error("ELF machine " + std::to_string(ehdr.e_machine) +
                " is not x86-64 (EM_X86_64 = 62)");
  if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)
    throw Error("ELF type " + std::to_string(ehdr.e_type) +
                " is not an executable (ET_EXEC or static-pie ET_DYN)");

  // libelf silently reports zero sections when the section header table
  // lies outside the file; check the raw header fields ourselves.
  if (ehdr.e_shoff != 0) {
    if (ehdr.e_shentsize != sizeof(Elf64_Shdr))
      throw Error("malformed ELF: section header entry size " +
                  std::to_string(ehdr.e_shentsize) + ", expected " +
                  std::to_string(sizeof(Elf64_Shdr)));
    // e_shnum == 0 means the count is in section 0's sh_size: section 0 must
    // be readable before libelf looks at it.
    std::uint64_t rawCount = ehdr.e_shnum == 0 ? 1 : ehdr.e_shnum;
    fileRange(ehdr.e_shoff, rawCount * sizeof(Elf64_Shdr),
              "section header table");
    std::size_t count = 0;
    if (elf_getshdrnum(elf_.get(), &count) != 0)
      libelfFailure("cannot count sections");
    if (count > image_.size() / sizeof(Elf64_Shdr))
      throw Error("malformed ELF: section count " + std::to_string(count) +
                  " does not fit in the file");
    fileRange(ehdr.e_shoff, count * sizeof(Elf64_Shdr), "section header table");
  }
  if (ehdr.e_phoff != 0 && ehdr.e_phnum != 0) {
    if (ehdr.e_phentsize != sizeof(Elf64_Phdr))
      throw Error("malformed ELF: program header entry size " +
                  std::to_string(ehdr.e_phentsize) + ", expected " +
                  std::to_string(sizeof(Elf64_Phdr)));
    fileRange(ehdr.e_phoff,
              static_cast<std::uint64_t>(ehdr.e_phnum) * sizeof(Elf64_Phdr),
              "program header table");
  }

  // Only from fields checked above: a bogus e_phoff must not hide code.
  headers_.push_back({"ELF headers", 0, sizeof(Elf64_Ehdr)});
  if (ehdr.e_phoff != 0 && ehdr.e_phnum != 0) {
    const std::uint64_t tableSize =
        static_cast<std::uint64_t>(ehdr.e_phnum) * sizeof(Elf64_Phdr);
    if (ehdr.e_phoff <= sizeof(Elf64_Ehdr)) // the linkers' layout
      headers_.front().size =
          std::max(headers_.front().size, ehdr.e_phoff + tableSize);
    else
      headers_.push_back({"program headers", ehdr.e_phoff, tableSize});
  }

  std::size_t sections = 0;
  if (ehdr.e_shoff != 0 && elf_getshdrnum(elf_.get(), &sections) != 0)
    libelfFailure("cannot count sections");
  if (sections > 1)
    readSections();
  readSegments(sections > 1);
  // The stubs' slot must be .kml.data, and .kml.data must be where the
  // kernel maps a writable segment, not merely named so.
  if (sections > 1 && kmlData_ &&
      std::ranges::find(writableSegments_, *kmlData_) !=
          writableSegments_.end())
    for (CodeRegion &region : code_)
      if (region.name == ".kml.text")
        region.stubSlot = kmlData_;
}

void ElfImage::readSections() {
  std::size_t nameTable = 0;
  if (elf_getshdrstrndx(elf_.get(), &nameTable) != 0)
    libelfFailure("cannot find the section name table");

  std::size_t symtab = 0;
  for (Elf_Scn *scn = elf_nextscn(elf_.get(), nullptr); scn != nullptr;
       scn = elf_nextscn(elf_.get(), scn)) {
    std::size_t index = elf_ndxscn(scn);
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr)
      libelfFailure(
          ("cannot read section header " + std::to_string(index)).c_str());
    const char *rawName = elf_strptr(elf_.get(), nameTable, shdr.sh_name);
    std::string name = "section [" + std::to_string(index) + "] '" +
                       (rawName != nullptr ? rawName : "?") + "'";
    if (shdr.sh_type == SHT_NOBITS)
      continue;
    std::span<const std::byte> bytes =
        fileRange(shdr.sh_offset, shdr.sh_size, name);
    bool exec = (shdr.sh_flags & SHF_EXECINSTR) != 0;
    if (exec && shdr.sh_size != 0)
      code_.push_back({rawName != nullptr ? rawName : name, shdr.sh_addr, bytes,
                       std::nullopt});
    if (rawName != nullptr && std::strcmp(rawName, ".kml.data") == 0 &&
        (shdr.sh_flags & (SHF_ALLOC | SHF_WRITE | SHF_EXECINSTR)) ==
            (SHF_ALLOC | SHF_WRITE))
      kmlData_ = shdr.sh_addr;
    if ((shdr.sh_flags & SHF_ALLOC) != 0 && shdr.sh_size != 0)
      allocated_.push_back({rawName != nullptr ? rawName : name, shdr.sh_addr,
                            shdr.sh_size, shdr.sh_offset, exec});
    if (shdr.sh_type == SHT_SYMTAB)
      symtab = index;
  }
  if (symtab != 0)
    readSymbols(symtab);
}

// The kernel maps segments, not sections, so every byte of an executable
// PT_LOAD segment must be accounted for. Without section headers the whole
// segment is code. With them, executable sections were read already; the
// bytes no section covers (alignment gaps, or code hidden from the section
// table) are scanned as code too, and non-code sections mapped executable
// (.rodata without -z separate-code) are reported as data in code.
void ElfImage::readSegments(bool sectionsKnown) {
  std::size_t count = 0;
  if (elf_getphdrnum(elf_.get(), &count) != 0)
    libelfFailure("cannot count program headers");
  std::ranges::sort(allocated_, {}, &SectionSpan::address);
  // `kml rewrite` inserts its writable data segment and then its code
  // segment right after the last PT_LOAD; without section names, that
  // adjacency is what identifies the stubs' segment.
  std::optional<std::uint64_t> previousWritable;
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Phdr phdr;
    if (gelf_getphdr(elf_.get(), static_cast<int>(i), &phdr) == nullptr)
      libelfFailure(
          ("cannot read program header " + std::to_string(i)).c_str());
    if (phdr.p_type != PT_LOAD)
      continue;
    const std::optional<std::uint64_t> slot = previousWritable;
    previousWritable.reset();
    if ((phdr.p_flags & PF_W) != 0 && (phdr.p_flags & PF_X) == 0) {
      previousWritable = phdr.p_vaddr;
      writableSegments_.push_back(phdr.p_vaddr);
    }
    if ((phdr.p_flags & PF_X) == 0 || phdr.p_filesz == 0)
      continue;
    std::string name = "PT_LOAD[" + std::to_string(i) + "]";
    std::span<const std::byte> segment =
        fileRange(phdr.p_offset, phdr.p_filesz, name);
    if (!sectionsKnown) {
      code_.push_back({name, phdr.p_vaddr, segment, slot});
      continue;
    }
    const std::uint64_t begin = phdr.p_vaddr;
    const std::uint64_t end = phdr.p_vaddr + phdr.p_filesz;
    std::uint64_t cursor = begin;
    // The ELF and program headers sit at offset 0 of the first segment when
    // it is linked without -z separate-code; they are data, not gaps. Only
    // the bytes of them that this segment maps count: a table moved to the
    // end of the file (kml mark, kml rewrite) normally lies in a segment of
    // its own, not in this one.
    std::vector<SectionSpan> spans = allocated_;
    for (const FileRange &header : headers_) {
      const std::uint64_t from = std::max(header.offset, phdr.p_offset);
      const std::uint64_t to =
          std::min(header.offset + header.size, phdr.p_offset + phdr.p_filesz);
      if (from < to)
        spans.push_back({header.name, phdr.p_vaddr + (from - phdr.p_offset),
                         to - from, from, false});
    }
    std::ranges::sort(spans, {}, &SectionSpan::address);
    auto addHole = [&](std::uint64_t holeEnd) {
      if (holeEnd > cursor)
        code_.push_back({name + "+" + hex(cursor - begin), cursor,
                         segment.subspan(cursor - begin, holeEnd - cursor),
                         std::nullopt});
    };
    for (const SectionSpan &section : spans) {
      std::uint64_t sectionEnd = section.address + section.size;
      if (sectionEnd <= begin || section.address >= end)
        continue;
      if (!section.exec)
        dataInCode_.push_back({section.name, section.address,
                               std::min(section.size, end - section.address)});
      else
        checkMappedAt(section, phdr.p_offset, begin, name);
      addHole(std::min(section.address, end));
      cursor = std::max(cursor, std::min(sectionEnd, end));
    }
    addHole(end);
  }
}

// The validator reads an executable section through its sh_offset, the
// kernel through the segment: both must name the same file bytes, or a
// benign copy could be validated while other bytes run.
void ElfImage::checkMappedAt(const SectionSpan &section,
                             std::uint64_t segmentOffset,
                             std::uint64_t segmentAddress,
                             const std::string &segment) {
  bool consistent =
      section.address >= segmentAddress
          ? section.offset - segmentOffset == section.address - segmentAddress
          : segmentOffset - section.offset == segmentAddress - section.address;
  if (!consistent)
    throw Error("malformed ELF: section '" + section.name + "' at " +
                hex(section.address) + " is stored at file offset " +
                hex(section.offset) + ", but " + segment +
                " maps other file bytes at that address");
}

void ElfImage::readSymbols(std::size_t symtabIndex) {
  Elf_Scn *scn = elf_getscn(elf_.get(), symtabIndex);
  GElf_Shdr shdr;
  if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr)
    libelfFailure("cannot read the symbol table header");
  if (shdr.sh_entsize != sizeof(Elf64_Sym))
    throw Error("malformed ELF: symbol table entry size " +
                std::to_string(shdr.sh_entsize) + ", expected " +
                std::to_string(sizeof(Elf64_Sym)));
  Elf_Data *data = elf_getdata(scn, nullptr);
  if (data == nullptr)
    libelfFailure("cannot read the symbol table");
  std::size_t count = data->d_size / sizeof(Elf64_Sym);

  struct Ranked {
    int rank;
    Symbol symbol;
  };
  std::vector<Ranked> ranked;
  for (std::size_t i = 1; i < count; ++i) {
    GElf_Sym sym;
    if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr)
      libelfFailure(("cannot read symbol " + std::to_string(i)).c_str());
    int type = GELF_ST_TYPE(sym.st_info);
    if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
      continue;
    if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
      continue;
    const char *name = elf_strptr(elf_.get(), shdr.sh_link, sym.st_name);
    if (name == nullptr || *name == '\0')
      continue;
    ranked.push_back({aliasRank(sym), {name, sym.st_value, sym.st_size}});
  }
  // Rank first, then name, so the preferred alias is deterministic.
  std::ranges::sort(ranked, [](const Ranked &a, const Ranked &b) {
    return std::tie(a.rank, a.symbol.name) < std::tie(b.rank, b.symbol.name);
  });
  symbols_.reserve(ranked.size());
  for (Ranked &entry : ranked)
    symbols_.push_back(std::move(entry.symbol));
}

} // namespace kml::binval::detail
