#include "kml/elf_image.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_layout.hpp"
#include "kml/text.hpp"
#include "libelf_handle.hpp"

#include <gelf.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace kml {
namespace {

using detail::ElfHandle;

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

ElfImage::ElfImage(std::vector<std::byte> bytes, Accept accept)
    : bytes_(std::move(bytes)) {
  const ElfLayout layout(bytes_);
  header_ = layout.header();
  phdrs_.assign(layout.programHeaders().begin(), layout.programHeaders().end());
  kind_ = classify(layout, accept);
  findMarker();
}

// A shared object is told by its DT_SONAME: glibc's libc.so.6 has a
// PT_INTERP (it runs, to print its version) and is a library all the
// same, and a static-pie has neither. The kernel's approvals tell the
// roles apart the same way (kml sign --list, docs/gate.md).
ImageKind ElfImage::classify(const ElfLayout &layout, Accept accept) {
  const std::optional<std::string> soname =
      layout.header().e_type == ET_DYN ? layout.soname() : std::nullopt;
  if (soname) {
    if (accept == Accept::StaticPrograms) {
      fail(ElfErrorKind::Dynamic,
           cat("shared object (DT_SONAME ", *soname,
               "): only kml rewrite takes libraries and loaders"));
    }
    const bool loader =
        !layout.hasInterpreter() &&
        (soname->starts_with("ld-linux") || soname->starts_with("ld64"));
    return loader ? ImageKind::Loader : ImageKind::Library;
  }
  if (layout.hasInterpreter()) {
    fail(ElfErrorKind::Dynamic,
         "dynamically linked executable (has PT_INTERP): kml runs a "
         "dynamic program unmodified, through its rewritten loader and "
         "libc (kml run)");
  }
  // A static-pie has a PT_DYNAMIC for its self-relocation but never
  // DT_NEEDED; a program that needs libraries cannot run without ld.so.
  if (layout.dynamicValue(DT_NEEDED)) {
    fail(ElfErrorKind::Dynamic,
         "executable needs shared libraries (DT_NEEDED): kml runs a "
         "dynamic program unmodified, through its rewritten loader and "
         "libc (kml run)");
  }
  return ImageKind::StaticProgram;
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
