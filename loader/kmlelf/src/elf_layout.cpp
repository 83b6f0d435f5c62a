#include "kml/elf_layout.hpp"

#include "bytes.hpp"
#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/text.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace kml {
namespace {

using detail::fitsInFile;
using detail::kUserSpaceEnd;

[[noreturn]] void fail(ElfErrorKind kind, const std::string &message) {
  throw ElfError(kind, message);
}

} // namespace

ElfLayout::ElfLayout(std::span<const std::byte> bytes) : bytes_(bytes) {
  checkIdentity();
  readProgramHeaders();
  checkSegments();
}

// The e_ident checks come first and by hand so that each kind of wrong file
// gets its own message before libelf is asked anything.
void ElfLayout::checkIdentity() {
  const auto *ident = reinterpret_cast<const unsigned char *>(bytes_.data());
  if (bytes_.size() < SELFMAG || std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    fail(ElfErrorKind::NotElf, "not an ELF file (no ELF magic)");
  }
  if (bytes_.size() < EI_NIDENT) {
    fail(ElfErrorKind::Malformed, "truncated ELF identification");
  }
  if (ident[EI_CLASS] == ELFCLASS32) {
    fail(ElfErrorKind::Not64Bit,
         "32-bit ELF file: kml supports x86-64 (ELFCLASS64) only");
  }
  if (ident[EI_CLASS] != ELFCLASS64) {
    fail(ElfErrorKind::Malformed,
         cat("unknown ELF class ", int{ident[EI_CLASS]}));
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    fail(ElfErrorKind::NotX86_64,
         "big-endian ELF file: kml supports x86-64 only");
  }
  // libelf takes a file with another EI_VERSION for no ELF at all, and
  // says nothing about why.
  if (ident[EI_VERSION] != EV_CURRENT) {
    fail(ElfErrorKind::Malformed,
         cat("unknown ELF version ", int{ident[EI_VERSION]},
             " in the identification (EV_CURRENT is ", EV_CURRENT, ")"));
  }
  if (bytes_.size() < sizeof(Elf64_Ehdr)) {
    fail(ElfErrorKind::Malformed, "truncated ELF header");
  }
  std::memcpy(&header_, bytes_.data(), sizeof header_);
  if (header_.e_machine != EM_X86_64) {
    fail(ElfErrorKind::NotX86_64,
         cat("ELF machine ", header_.e_machine,
             " is not x86-64 (EM_X86_64 = ", EM_X86_64, ")"));
  }
  if (header_.e_type != ET_EXEC && header_.e_type != ET_DYN) {
    fail(ElfErrorKind::NotExecutable,
         cat("ELF type ", header_.e_type,
             " is not an executable or shared object (ET_EXEC or ET_DYN)"));
  }
}

void ElfLayout::readProgramHeaders() {
  if (header_.e_phnum == 0) {
    fail(ElfErrorKind::Malformed, "no program headers");
  }
  if (header_.e_phnum == PN_XNUM) {
    fail(ElfErrorKind::Malformed,
         "extended program header numbering (PN_XNUM) is not supported");
  }
  if (header_.e_phentsize != sizeof(Elf64_Phdr)) {
    fail(ElfErrorKind::Malformed,
         cat("program header entry size ", header_.e_phentsize, " (expected ",
             sizeof(Elf64_Phdr), ")"));
  }
  const std::uint64_t tableSize =
      std::uint64_t{header_.e_phnum} * sizeof(Elf64_Phdr);
  if (!fitsInFile(header_.e_phoff, tableSize, bytes_.size())) {
    fail(ElfErrorKind::Malformed,
         cat("program header table (offset ", Hex{header_.e_phoff}, ", ",
             header_.e_phnum, " entries) extends beyond the end of the file (",
             bytes_.size(), " bytes)"));
  }
  phdrs_.resize(header_.e_phnum);
  std::memcpy(phdrs_.data(), bytes_.data() + header_.e_phoff, tableSize);
}

void ElfLayout::checkSegments() const {
  bool haveLoad = false;
  for (std::size_t i = 0; i < phdrs_.size(); ++i) {
    const Elf64_Phdr &ph = phdrs_[i];
    if (!fitsInFile(ph.p_offset, ph.p_filesz, bytes_.size())) {
      fail(ElfErrorKind::Malformed,
           cat("segment ", i, " (", segmentTypeName(ph.p_type), ", offset ",
               Hex{ph.p_offset}, ", size ", Hex{ph.p_filesz},
               ") extends beyond the end of the file (", bytes_.size(),
               " bytes)"));
    }
    if (ph.p_type == PT_LOAD) {
      haveLoad = true;
      if (ph.p_vaddr > kUserSpaceEnd ||
          ph.p_memsz > kUserSpaceEnd - ph.p_vaddr) {
        fail(ElfErrorKind::Malformed,
             cat("segment ", i, " (PT_LOAD) at ", Hex{ph.p_vaddr}, ", size ",
                 Hex{ph.p_memsz}, " does not fit in the user address space"));
      }
      if (ph.p_filesz > ph.p_memsz) {
        fail(ElfErrorKind::Malformed,
             cat("segment ", i,
                 " (PT_LOAD) has a file size larger than its memory size"));
      }
    }
  }
  if (!haveLoad) {
    fail(ElfErrorKind::Malformed, "no PT_LOAD segment");
  }
}

bool ElfLayout::hasInterpreter() const {
  return std::ranges::any_of(
      phdrs_, [](const Elf64_Phdr &ph) { return ph.p_type == PT_INTERP; });
}

std::vector<Elf64_Dyn> ElfLayout::dynamicEntries() const {
  std::vector<Elf64_Dyn> entries;
  for (const Elf64_Phdr &ph : phdrs_) {
    if (ph.p_type != PT_DYNAMIC) {
      continue;
    }
    // checkSegments() keeps the segment inside the file.
    const std::size_t count = ph.p_filesz / sizeof(Elf64_Dyn);
    for (std::size_t i = 0; i < count; ++i) {
      Elf64_Dyn dyn{};
      std::memcpy(&dyn, bytes_.data() + ph.p_offset + i * sizeof dyn,
                  sizeof dyn);
      if (dyn.d_tag == DT_NULL) {
        break;
      }
      entries.push_back(dyn);
    }
  }
  return entries;
}

std::optional<std::uint64_t> ElfLayout::dynamicValue(std::int64_t tag) const {
  for (const Elf64_Dyn &dyn : dynamicEntries()) {
    if (dyn.d_tag == tag) {
      return dyn.d_un.d_val;
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t>
ElfLayout::fileOffsetOf(std::uint64_t address) const {
  for (const Elf64_Phdr &ph : phdrs_) {
    if (ph.p_type == PT_LOAD && address >= ph.p_vaddr &&
        address - ph.p_vaddr < ph.p_filesz) {
      return ph.p_offset + (address - ph.p_vaddr);
    }
  }
  return std::nullopt;
}

std::optional<std::string> ElfLayout::soname() const {
  const auto name = dynamicValue(DT_SONAME);
  if (!name) {
    return std::nullopt;
  }
  const auto table = dynamicValue(DT_STRTAB);
  const auto tableSize = dynamicValue(DT_STRSZ);
  const auto start = table ? fileOffsetOf(*table) : std::nullopt;
  if (!start || !tableSize || *name >= *tableSize ||
      !fitsInFile(*start, *tableSize, bytes_.size())) {
    fail(ElfErrorKind::Malformed,
         "DT_SONAME points outside the dynamic string table or the file");
  }
  const auto *chars = reinterpret_cast<const char *>(bytes_.data());
  const std::string_view strings(chars + *start, *tableSize);
  const std::size_t end = strings.find('\0', *name);
  if (end == std::string_view::npos) {
    fail(ElfErrorKind::Malformed, "DT_SONAME is not NUL-terminated");
  }
  return std::string(strings.substr(*name, end - *name));
}

} // namespace kml
