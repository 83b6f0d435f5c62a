#include "kml/marker_edit.hpp"

#include "kml/elf_error.hpp"
#include "kml/text.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <span>

namespace kml {
namespace {

// x86-64 page size: the kernel maps segments in units of it, so a new
// PT_LOAD's file offset and address must agree modulo it.
constexpr std::uint64_t kPageSize = 0x1000;

constexpr std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
  return (value + align - 1) & ~(align - 1);
}

template <class T>
void store(std::vector<std::byte> &bytes, std::uint64_t offset,
           const T &value) {
  std::memcpy(bytes.data() + offset, &value, sizeof value);
}

// Refuses to rewrite a marker whose meaning this tool does not know.
void requireKnownVersion(const MarkerInfo &marker) {
  if (marker.desc.version > KML_NOTE_VERSION) {
    throw ElfError(ElfErrorKind::NewerMarker,
                   cat("the KML marker has version ", marker.desc.version,
                       " but this kml knows version ", KML_NOTE_VERSION,
                       " at most: use a newer kml"));
  }
  if (marker.desc.version == 0) {
    throw ElfError(ElfErrorKind::Malformed,
                   "the KML marker has version 0, which is invalid");
  }
}

std::vector<std::byte> withFlag(const ElfImage &image, const MarkerInfo &marker,
                                bool enable) {
  requireKnownVersion(marker);
  std::uint32_t flags = marker.desc.flags & ~KML_NOTE_F_ENABLE;
  if (enable) {
    flags |= KML_NOTE_F_ENABLE;
  }
  std::vector<std::byte> bytes(image.bytes().begin(), image.bytes().end());
  store(bytes, marker.descOffset + offsetof(struct kml_note, flags), flags);
  return bytes;
}

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

MarkerNote makeNote(bool enable) {
  MarkerNote note{};
  note.header.n_namesz = KML_NOTE_NAMESZ;
  note.header.n_descsz = sizeof(struct kml_note);
  note.header.n_type = NT_KML_MARKER;
  std::memcpy(note.name, KML_NOTE_NAME, KML_NOTE_NAMESZ);
  note.desc.version = KML_NOTE_VERSION;
  note.desc.flags = enable ? KML_NOTE_F_ENABLE : 0;
  return note;
}

// True when [offset, offset + size) lies inside a file of fileSize bytes.
bool fitsInFile(std::uint64_t offset, std::uint64_t size,
                std::uint64_t fileSize) {
  return offset <= fileSize && size <= fileSize - offset;
}

void append(std::vector<std::byte> &bytes, const void *data, std::size_t size) {
  const auto *first = static_cast<const std::byte *>(data);
  bytes.insert(bytes.end(), first, first + size);
}

// Describes the appended note in the section header table too, as a
// section ".note.kml". The kernel does not need it, but binutils (strip,
// objcopy) keep only what sections describe: without it they drop the note
// and mis-place the moved program header table, producing a file that
// crashes. The file gets a new section header table and a new copy of the
// section name table with the name added, both appended; the old ones stay
// where they were, unreferenced. Best effort: a file without usable
// section headers is marked all the same.
void appendNoteSection(std::vector<std::byte> &bytes, Elf64_Ehdr &ehdr,
                       std::span<const std::byte> original,
                       std::uint64_t noteOffset, std::uint64_t noteAddress) {
  if (ehdr.e_shoff == 0 || ehdr.e_shentsize != sizeof(Elf64_Shdr) ||
      ehdr.e_shnum == 0 || ehdr.e_shnum + 1 >= SHN_LORESERVE ||
      ehdr.e_shstrndx == SHN_UNDEF || ehdr.e_shstrndx >= ehdr.e_shnum ||
      !fitsInFile(ehdr.e_shoff, ehdr.e_shnum * sizeof(Elf64_Shdr),
                  original.size())) {
    return;
  }
  std::vector<Elf64_Shdr> sections(ehdr.e_shnum);
  std::memcpy(sections.data(), original.data() + ehdr.e_shoff,
              sections.size() * sizeof(Elf64_Shdr));
  Elf64_Shdr &names = sections[ehdr.e_shstrndx];
  if (names.sh_type != SHT_STRTAB ||
      !fitsInFile(names.sh_offset, names.sh_size, original.size()) ||
      names.sh_size > UINT32_MAX - 64) {
    return;
  }

  static constexpr char kSectionName[] = ".note.kml";
  const std::uint64_t namesOffset = bytes.size();
  append(bytes, original.data() + names.sh_offset, names.sh_size);
  append(bytes, kSectionName, sizeof kSectionName);

  Elf64_Shdr note{};
  note.sh_name = static_cast<Elf64_Word>(names.sh_size);
  note.sh_type = SHT_NOTE;
  note.sh_flags = SHF_ALLOC;
  note.sh_addr = noteAddress;
  note.sh_offset = noteOffset;
  note.sh_size = sizeof(MarkerNote);
  note.sh_addralign = 4;
  names.sh_offset = namesOffset;
  names.sh_size += sizeof kSectionName;
  sections.push_back(note);

  bytes.resize(alignUp(bytes.size(), alignof(Elf64_Shdr)));
  ehdr.e_shoff = bytes.size();
  ehdr.e_shnum = static_cast<Elf64_Half>(sections.size());
  append(bytes, sections.data(), sections.size() * sizeof(Elf64_Shdr));
}

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
std::vector<std::byte> appendMarker(const ElfImage &image, bool enable) {
  const auto oldHeaders = image.programHeaders();
  std::uint64_t highestEnd = 0;
  std::size_t lastLoad = 0;
  std::size_t lastNote = oldHeaders.size(); // none yet
  for (std::size_t i = 0; i < oldHeaders.size(); ++i) {
    const Elf64_Phdr &ph = oldHeaders[i];
    if (ph.p_type == PT_LOAD) {
      highestEnd = std::max(highestEnd, ph.p_vaddr + ph.p_memsz);
      lastLoad = i;
    } else if (ph.p_type == PT_NOTE) {
      lastNote = i;
    }
  }

  const std::size_t count = oldHeaders.size() + 2;
  if (count >= PN_XNUM) {
    throw ElfError(ElfErrorKind::Malformed,
                   "too many program headers to add the KML marker");
  }
  const std::uint64_t tableOffset =
      alignUp(image.bytes().size(), alignof(Elf64_Phdr));
  const std::uint64_t tableSize = count * sizeof(Elf64_Phdr);
  const std::uint64_t noteOffset = tableOffset + tableSize;
  const std::uint64_t end = noteOffset + sizeof(MarkerNote);
  // One unused page between the last segment and ours: binutils (strip,
  // objcopy) re-lay the segment out with the table a page lower, and the
  // gap keeps it off the page holding the last segment's .bss.
  const std::uint64_t address =
      alignUp(highestEnd, kPageSize) + kPageSize + tableOffset % kPageSize;

  // The user address space ends at 0x7ffffffff000 (4-level paging).
  if (address + (end - tableOffset) > 0x7ffffffff000) {
    throw ElfError(ElfErrorKind::Malformed,
                   "no room above the last segment for the KML marker");
  }

  Elf64_Phdr load{};
  load.p_type = PT_LOAD;
  load.p_flags = PF_R;
  load.p_offset = tableOffset;
  load.p_vaddr = load.p_paddr = address;
  load.p_filesz = load.p_memsz = end - tableOffset;
  load.p_align = kPageSize;

  Elf64_Phdr note{};
  note.p_type = PT_NOTE;
  note.p_flags = PF_R;
  note.p_offset = noteOffset;
  note.p_vaddr = note.p_paddr = address + tableSize;
  note.p_filesz = note.p_memsz = sizeof(MarkerNote);
  note.p_align = 4;

  // The new PT_LOAD goes right after the last one, keeping PT_LOADs sorted
  // by address as the ELF spec and the kernel's mapping-size computation
  // expect; the PT_NOTE goes after the last PT_NOTE (or after the PT_LOAD).
  std::vector<Elf64_Phdr> headers;
  headers.reserve(count);
  for (std::size_t i = 0; i < oldHeaders.size(); ++i) {
    Elf64_Phdr ph = oldHeaders[i];
    if (ph.p_type == PT_PHDR) {
      ph.p_offset = tableOffset;
      ph.p_vaddr = ph.p_paddr = address;
      ph.p_filesz = ph.p_memsz = tableSize;
    }
    headers.push_back(ph);
    if (i == lastLoad) {
      headers.push_back(load);
      if (lastNote == oldHeaders.size() || lastNote < lastLoad) {
        headers.push_back(note);
      }
    }
    if (i == lastNote && lastNote > lastLoad) {
      headers.push_back(note);
    }
  }

  Elf64_Ehdr ehdr = image.header();
  ehdr.e_phoff = tableOffset;
  ehdr.e_phnum = static_cast<Elf64_Half>(count);

  std::vector<std::byte> bytes(image.bytes().begin(), image.bytes().end());
  bytes.resize(end); // zero padding up to the table
  std::memcpy(bytes.data() + tableOffset, headers.data(), tableSize);
  store(bytes, noteOffset, makeNote(enable));
  appendNoteSection(bytes, ehdr, image.bytes(), noteOffset, note.p_vaddr);
  store(bytes, 0, ehdr);
  return bytes;
}

} // namespace

std::vector<std::byte> withMarker(const ElfImage &image, bool enable) {
  if (const auto &marker = image.marker()) {
    return withFlag(image, *marker, enable);
  }
  return appendMarker(image, enable);
}

std::vector<std::byte> withMarkerFlag(const ElfImage &image, bool enable) {
  const auto &marker = image.marker();
  if (!marker) {
    throw ElfError(ElfErrorKind::NoMarker,
                   "the file has no KML marker: add one with 'kml mark'");
  }
  return withFlag(image, *marker, enable);
}

} // namespace kml
