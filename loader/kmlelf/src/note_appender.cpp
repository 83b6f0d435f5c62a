#include "note_appender.hpp"

#include "bytes.hpp"
#include "kml/elf_error.hpp"
#include "kml/section_table.hpp"

#include <algorithm>
#include <cstring>
#include <span>

namespace kml::detail {
namespace {

// The note as it appears in the file: header, "KML\0", descriptor. Every
// part is a multiple of 4 bytes, so no padding is needed.
struct MarkerNote {
  Elf64_Nhdr header;
  char name[KML_NOTE_NAMESZ];
  struct kml_note desc;
};
static_assert(sizeof(MarkerNote) ==
              sizeof(Elf64_Nhdr) + KML_NOTE_NAMESZ + sizeof(struct kml_note));
static_assert(sizeof(struct kml_note) % 4 == 0);

MarkerNote makeNote(std::uint32_t flags) {
  MarkerNote note{};
  note.header.n_namesz = KML_NOTE_NAMESZ;
  note.header.n_descsz = sizeof(struct kml_note);
  note.header.n_type = NT_KML_MARKER;
  std::memcpy(note.name, KML_NOTE_NAME, KML_NOTE_NAMESZ);
  note.desc.version = KML_NOTE_VERSION;
  note.desc.flags = flags;
  return note;
}

// Names the note as a section, `.note.kml`, so that binutils keep it
// (kml/section_table.hpp). A file without usable section headers is
// marked all the same.
void describeNote(std::vector<std::byte> &bytes, Elf64_Ehdr &ehdr,
                  std::uint64_t noteOffset, std::uint64_t noteAddress) {
  AddedSection note{".note.kml", {}};
  note.header.sh_type = SHT_NOTE;
  note.header.sh_flags = SHF_ALLOC;
  note.header.sh_addr = noteAddress;
  note.header.sh_offset = noteOffset;
  note.header.sh_size = sizeof(MarkerNote);
  note.header.sh_addralign = 4;
  appendSections(bytes, ehdr, std::span(&note, 1));
}

// Where the appended program header table and note go, in the file and
// in memory. The new PT_LOAD maps [tableOffset, end) at address.
struct Layout {
  std::uint64_t tableOffset = 0;
  std::uint64_t tableSize = 0;
  std::uint64_t noteOffset = 0;
  std::uint64_t end = 0;
  std::uint64_t address = 0;
  std::size_t headerCount = 0;

  std::uint64_t noteAddress() const { return address + tableSize; }
};

Layout planLayout(const ElfImage &image) {
  std::uint64_t highestEnd = 0;
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_LOAD) {
      highestEnd = std::max(highestEnd, ph.p_vaddr + ph.p_memsz);
    }
  }
  Layout layout;
  layout.headerCount = image.programHeaders().size() + 2;
  if (layout.headerCount >= PN_XNUM) {
    throw ElfError(ElfErrorKind::Malformed,
                   "too many program headers to add the KML marker");
  }
  layout.tableOffset = alignUp(image.bytes().size(), alignof(Elf64_Phdr));
  layout.tableSize = layout.headerCount * sizeof(Elf64_Phdr);
  layout.noteOffset = layout.tableOffset + layout.tableSize;
  layout.end = layout.noteOffset + sizeof(MarkerNote);
  // One unused page between the last segment and ours: binutils (strip,
  // objcopy) re-lay the segment out with the table a page lower, and the
  // gap keeps it off the page holding the last segment's .bss.
  layout.address = alignUp(highestEnd, kPageSize) + kPageSize +
                   layout.tableOffset % kPageSize;
  if (layout.address + (layout.end - layout.tableOffset) > kUserSpaceEnd) {
    throw ElfError(ElfErrorKind::Malformed,
                   "no room above the last segment for the KML marker");
  }
  return layout;
}

// The old program headers with PT_PHDR moved to the new table, plus the
// new PT_LOAD right after the last one (keeping PT_LOADs sorted by
// address, as the ELF spec and the kernel's mapping-size computation
// expect) and the new PT_NOTE after the last PT_NOTE (or after the new
// PT_LOAD when there is none before it).
std::vector<Elf64_Phdr> buildProgramHeaders(std::span<const Elf64_Phdr> old,
                                            const Layout &layout) {
  Elf64_Phdr load{};
  load.p_type = PT_LOAD;
  load.p_flags = PF_R;
  load.p_offset = layout.tableOffset;
  load.p_vaddr = load.p_paddr = layout.address;
  load.p_filesz = load.p_memsz = layout.end - layout.tableOffset;
  load.p_align = kPageSize;

  Elf64_Phdr note{};
  note.p_type = PT_NOTE;
  note.p_flags = PF_R;
  note.p_offset = layout.noteOffset;
  note.p_vaddr = note.p_paddr = layout.noteAddress();
  note.p_filesz = note.p_memsz = sizeof(MarkerNote);
  note.p_align = 4;

  std::size_t lastLoad = 0;          // ElfImage guarantees at least one PT_LOAD
  std::size_t lastNote = old.size(); // none
  for (std::size_t i = 0; i < old.size(); ++i) {
    if (old[i].p_type == PT_LOAD) {
      lastLoad = i;
    } else if (old[i].p_type == PT_NOTE) {
      lastNote = i;
    }
  }
  const bool noteAfterLoad = lastNote == old.size() || lastNote < lastLoad;

  std::vector<Elf64_Phdr> headers;
  headers.reserve(layout.headerCount);
  for (std::size_t i = 0; i < old.size(); ++i) {
    Elf64_Phdr ph = old[i];
    if (ph.p_type == PT_PHDR) {
      ph.p_offset = layout.tableOffset;
      ph.p_vaddr = ph.p_paddr = layout.address;
      ph.p_filesz = ph.p_memsz = layout.tableSize;
    }
    headers.push_back(ph);
    if (i == lastLoad) {
      headers.push_back(load);
      if (noteAfterLoad) {
        headers.push_back(note);
      }
    }
    if (i == lastNote && !noteAfterLoad) {
      headers.push_back(note);
    }
  }
  return headers;
}

} // namespace

// Adds the note when the file has none. There is no spare program header
// slot to rely on, so the table moves: the new table (old entries plus a
// PT_LOAD and a PT_NOTE) and the note are appended at the end of the file
// and mapped by the new read-only PT_LOAD, placed above every existing
// segment. The kernel reports the table's address in AT_PHDR by finding
// the PT_LOAD that contains e_phoff, and static startup code (glibc TLS
// setup, musl's static_init_tls) reads the headers there, so the table
// must be mapped; PT_PHDR, if present, is moved along so that address
// computations from it stay right. The old table stays where it was,
// unreferenced, so no existing byte moves.
std::vector<std::byte> appendMarkerNote(const ElfImage &image,
                                        std::uint32_t flags) {
  const Layout layout = planLayout(image);
  const std::vector<Elf64_Phdr> headers =
      buildProgramHeaders(image.programHeaders(), layout);

  Elf64_Ehdr ehdr = image.header();
  ehdr.e_phoff = layout.tableOffset;
  ehdr.e_phnum = static_cast<Elf64_Half>(headers.size());

  std::vector<std::byte> bytes(image.bytes().begin(), image.bytes().end());
  bytes.resize(layout.end); // zero padding up to the table
  std::memcpy(bytes.data() + layout.tableOffset, headers.data(),
              layout.tableSize);
  store(bytes, layout.noteOffset, makeNote(flags));
  describeNote(bytes, ehdr, layout.noteOffset, layout.noteAddress());
  store(bytes, 0, ehdr);
  return bytes;
}

} // namespace kml::detail
