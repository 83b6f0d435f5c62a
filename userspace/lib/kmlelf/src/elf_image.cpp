#include "kml/elf_image.hpp"

#include "bytes.hpp"
#include "kml/elf_error.hpp"
#include "kml/text.hpp"
#include "libelf_handle.hpp"

#include <gelf.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace kml {
namespace {

using detail::ElfHandle;
using detail::fitsInFile;
using detail::kUserSpaceEnd;

[[noreturn]] void fail(ElfErrorKind kind, const std::string &message) {
  throw ElfError(kind, message);
}

} // namespace

std::string segmentTypeName(std::uint32_t type) {
  switch (type) {
  case PT_NULL:
    return "PT_NULL";
  case PT_LOAD:
    return "PT_LOAD";
  case PT_DYNAMIC:
    return "PT_DYNAMIC";
  case PT_INTERP:
    return "PT_INTERP";
  case PT_NOTE:
    return "PT_NOTE";
  case PT_PHDR:
    return "PT_PHDR";
  case PT_TLS:
    return "PT_TLS";
  case PT_GNU_EH_FRAME:
    return "PT_GNU_EH_FRAME";
  case PT_GNU_STACK:
    return "PT_GNU_STACK";
  case PT_GNU_RELRO:
    return "PT_GNU_RELRO";
  case PT_GNU_PROPERTY:
    return "PT_GNU_PROPERTY";
  default:
    return cat("type ", Hex{type});
  }
}

ElfImage::ElfImage(std::vector<std::byte> bytes) : bytes_(std::move(bytes)) {
  checkIdentity();
  readProgramHeaders();
  checkSegments();
  checkStatic();
  findMarker();
}

// The e_ident checks come first and by hand so that each kind of wrong file
// gets its own message before libelf is asked anything.
void ElfImage::checkIdentity() {
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
             " is not an executable (ET_EXEC or static-pie ET_DYN)"));
  }
}

void ElfImage::readProgramHeaders() {
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

void ElfImage::checkSegments() const {
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

void ElfImage::checkStatic() const {
  for (const Elf64_Phdr &ph : phdrs_) {
    if (ph.p_type == PT_INTERP) {
      fail(ElfErrorKind::Dynamic,
           "dynamically linked executable (has PT_INTERP): kml supports "
           "static executables only for now");
    }
    if (ph.p_type != PT_DYNAMIC) {
      continue;
    }
    // A static-pie has a PT_DYNAMIC for its self-relocation but never
    // DT_NEEDED; a program that needs libraries cannot run without ld.so.
    const std::size_t count = ph.p_filesz / sizeof(Elf64_Dyn);
    for (std::size_t j = 0; j < count; ++j) {
      Elf64_Dyn dyn;
      std::memcpy(&dyn, bytes_.data() + ph.p_offset + j * sizeof dyn,
                  sizeof dyn);
      if (dyn.d_tag == DT_NULL) {
        break;
      }
      if (dyn.d_tag == DT_NEEDED) {
        fail(ElfErrorKind::Dynamic,
             "executable needs shared libraries (DT_NEEDED): kml supports "
             "static executables only for now");
      }
    }
  }
}

// libelf walks the notes: it knows the 4- and 8-byte note alignments and
// stops at a malformed entry instead of reading past the segment.
void ElfImage::findMarker() {
  if (!detail::libelfReady()) {
    fail(ElfErrorKind::Malformed, cat("libelf: ", detail::libelfMessage()));
  }
  ElfHandle elf(
      elf_memory(reinterpret_cast<char *>(bytes_.data()), bytes_.size()));
  if (!elf || elf_kind(elf.get()) != ELF_K_ELF) {
    fail(ElfErrorKind::Malformed,
         cat("libelf cannot parse the file: ", detail::libelfMessage()));
  }
  for (std::size_t i = 0; i < phdrs_.size(); ++i) {
    const Elf64_Phdr &ph = phdrs_[i];
    if (ph.p_type != PT_NOTE || ph.p_filesz == 0) {
      continue;
    }
    const Elf_Type type = ph.p_align == 8 ? ELF_T_NHDR8 : ELF_T_NHDR;
    Elf_Data *data = elf_getdata_rawchunk(
        elf.get(), static_cast<int64_t>(ph.p_offset), ph.p_filesz, type);
    if (data == nullptr) {
      continue; // unreadable note segment: not a marker, not our business
    }
    GElf_Nhdr nhdr;
    std::size_t nameOffset = 0;
    std::size_t descOffset = 0;
    for (std::size_t offset = 0;
         (offset = gelf_getnote(data, offset, &nhdr, &nameOffset,
                                &descOffset)) > 0;) {
      const auto *buf = static_cast<const char *>(data->d_buf);
      if (nhdr.n_type != NT_KML_MARKER || nhdr.n_namesz != KML_NOTE_NAMESZ ||
          std::memcmp(buf + nameOffset, KML_NOTE_NAME, KML_NOTE_NAMESZ) != 0) {
        continue;
      }
      const std::uint64_t noteOffset =
          ph.p_offset + nameOffset - sizeof(Elf64_Nhdr);
      if (marker_ && marker_->noteOffset == noteOffset) {
        continue; // the same note seen through another PT_NOTE
      }
      if (marker_) {
        fail(ElfErrorKind::Malformed,
             "more than one KML marker note: the file is ambiguous");
      }
      if (nhdr.n_descsz < KML_NOTE_MIN_DESCSZ) {
        fail(ElfErrorKind::Malformed,
             cat("KML marker descriptor is ", nhdr.n_descsz,
                 " bytes, at least ", KML_NOTE_MIN_DESCSZ, " are needed"));
      }
      MarkerInfo info;
      info.segmentIndex = i;
      info.segmentOffset = ph.p_offset;
      info.segmentSize = ph.p_filesz;
      info.noteOffset = noteOffset;
      info.descOffset = ph.p_offset + descOffset;
      info.descSize = nhdr.n_descsz;
      std::memcpy(&info.desc, buf + descOffset,
                  std::min<std::size_t>(nhdr.n_descsz, sizeof info.desc));
      marker_ = info;
    }
  }
}

} // namespace kml
