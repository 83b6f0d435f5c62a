#include "kml/fuzz/elf_mutator.hpp"

#include <linux/kml_note.h>

#include <elf.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace kml::fuzz {
namespace {

using Bytes = std::vector<std::byte>;
using View = std::span<const std::byte>;

constexpr std::uint64_t kMax64 = UINT64_MAX;

std::string hex(std::uint64_t value) {
  std::ostringstream out;
  out << "0x" << std::hex << value;
  return out.str();
}

template <class... Parts> std::string cat(const Parts &...parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

constexpr std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
  return (value + align - 1) / align * align;
}

bool fits(std::uint64_t offset, std::uint64_t size, std::uint64_t total) {
  return offset <= total && size <= total - offset;
}

template <class T> std::optional<T> load(View bytes, std::uint64_t offset) {
  if (!fits(offset, sizeof(T), bytes.size())) {
    return std::nullopt;
  }
  T value{};
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

// A load from where the caller has made sure the bytes are: an entry of a
// Table (which holds only the entries wholly in the file) or a place a
// fits() check admitted. Not there is the mutator's own bug.
template <class T> T loadKnown(View bytes, std::uint64_t offset) {
  const std::optional<T> value = load<T>(bytes, offset);
  if (!value) {
    throw std::logic_error("elf_mutator: a checked load outside the file");
  }
  return *value;
}

template <class T> void store(Bytes &bytes, std::uint64_t offset, const T &v) {
  if (fits(offset, sizeof(T), bytes.size())) {
    std::memcpy(bytes.data() + offset, &v, sizeof v);
  }
}

template <class T> void append(Bytes &bytes, const T &value) {
  const auto *first = reinterpret_cast<const std::byte *>(&value);
  bytes.insert(bytes.end(), first, first + sizeof value);
}

void appendText(Bytes &bytes, std::string_view text) {
  for (const char c : text) {
    bytes.push_back(static_cast<std::byte>(c));
  }
}

// An unsigned field of 1, 2, 4 or 8 bytes, read and written as a u64.
struct Field {
  const char *name;
  std::uint64_t offset;
  unsigned width;
};

std::uint64_t maxOf(unsigned width) {
  return width >= 8 ? kMax64 : (std::uint64_t{1} << (width * 8)) - 1;
}

std::optional<std::uint64_t> readField(View bytes, std::uint64_t base,
                                       const Field &field) {
  if (!fits(base + field.offset, field.width, bytes.size())) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  std::memcpy(&value, bytes.data() + base + field.offset, field.width);
  return value;
}

// readField where the caller has made sure the field is in the file
// (loadKnown).
std::uint64_t readKnownField(View bytes, std::uint64_t base,
                             const Field &field) {
  const std::optional<std::uint64_t> value = readField(bytes, base, field);
  if (!value) {
    throw std::logic_error("elf_mutator: a checked field outside the file");
  }
  return *value;
}

// "what FIELD old -> new", or "" when the field is outside the file.
std::string writeField(Bytes &bytes, std::uint64_t base, const Field &field,
                       std::uint64_t value, const std::string &what) {
  const auto old = readField(bytes, base, field);
  if (!old) {
    return "";
  }
  value &= maxOf(field.width);
  std::memcpy(bytes.data() + base + field.offset, &value, field.width);
  return cat(what, field.name, " ", hex(*old), " -> ", hex(value));
}

// Values that tend to break a reader: zero, one, the edges of the field's
// range, off-by-ones, the file size and just around it, noise.
std::uint64_t interesting(Rng &rng, unsigned width, std::uint64_t current,
                          std::uint64_t fileSize) {
  const std::uint64_t mask = maxOf(width);
  const std::uint64_t top = mask ^ (mask >> 1);
  const std::uint64_t candidates[] = {
      0,
      1,
      2,
      4,
      7,
      8, // small
      current + 1,
      current - 1,
      current + 4,
      current * 2,
      current / 2,
      current | 1, // near the value
      mask,
      mask - 1,
      top,
      top - 1, // the field's limits
      fileSize,
      fileSize - 1,
      fileSize + 1,
      fileSize - rng.below(64), // around the end of the file
      rng.next(),
      rng.below(256),
      rng.below(fileSize + 1)}; // noise
  return rng.pick(candidates) & mask;
}

// The 64-bit ELF header, when the file has the magic, ELFCLASS64 and all
// 64 bytes (the byte order is taken to be little-endian regardless).
std::optional<Elf64_Ehdr> header64(View bytes) {
  auto eh = load<Elf64_Ehdr>(bytes, 0);
  if (!eh || std::memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
      eh->e_ident[EI_CLASS] != ELFCLASS64) {
    return std::nullopt;
  }
  return eh;
}

// A table of fixed-size entries, limited to the entries wholly in the file.
struct Table {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
  std::uint64_t entsize = 0;
  std::uint64_t at(std::uint64_t i) const { return offset + i * entsize; }
};

Table table(View bytes, std::uint64_t offset, std::uint64_t count,
            std::uint64_t entsize, std::uint64_t expected) {
  if (entsize != expected || offset > bytes.size()) {
    return {};
  }
  return {offset, std::min(count, (bytes.size() - offset) / entsize), entsize};
}

Table phdrTable(View bytes) {
  const auto eh = header64(bytes);
  return eh ? table(bytes, eh->e_phoff, eh->e_phnum, eh->e_phentsize,
                    sizeof(Elf64_Phdr))
            : Table{};
}

Table shdrTable(View bytes) {
  const auto eh = header64(bytes);
  return eh ? table(bytes, eh->e_shoff, eh->e_shnum, eh->e_shentsize,
                    sizeof(Elf64_Shdr))
            : Table{};
}

Elf64_Phdr phdr(View bytes, const Table &phdrs, std::uint64_t i) {
  return load<Elf64_Phdr>(bytes, phdrs.at(i)).value_or(Elf64_Phdr{});
}

// A program header to turn into something else: one of the given type
// when there is one and the dice say so, else any.
std::optional<std::uint64_t> victim(View bytes, Rng &rng,
                                    std::span<const std::uint32_t> preferred) {
  const Table phdrs = phdrTable(bytes);
  if (phdrs.count == 0) {
    return std::nullopt;
  }
  if (!rng.oneIn(4)) {
    std::vector<std::uint64_t> matches;
    for (std::uint64_t i = 0; i < phdrs.count; ++i) {
      if (std::ranges::find(preferred, phdr(bytes, phdrs, i).p_type) !=
          preferred.end()) {
        matches.push_back(i);
      }
    }
    if (!matches.empty()) {
      return rng.pick(std::span<const std::uint64_t>(matches));
    }
  }
  return rng.below(phdrs.count);
}

// Appends `data` at the end of the file, at a multiple of `align` (and
// now and then just off it); returns its offset.
std::uint64_t appendBlob(Bytes &bytes, View data, unsigned align, Rng &rng) {
  std::uint64_t offset = alignUp(bytes.size(), align);
  if (rng.oneIn(8)) {
    offset += 1 + rng.below(3);
  }
  bytes.resize(offset);
  bytes.insert(bytes.end(), data.begin(), data.end());
  return offset;
}

// Makes program header `index` a segment of `type` over [offset, +size).
void retarget(Bytes &bytes, std::uint64_t index, std::uint32_t type,
              std::uint64_t offset, std::uint64_t size, std::uint64_t align) {
  const Table phdrs = phdrTable(bytes);
  Elf64_Phdr ph = phdr(bytes, phdrs, index);
  ph.p_type = type;
  ph.p_offset = offset;
  ph.p_filesz = ph.p_memsz = size;
  ph.p_align = align;
  store(bytes, phdrs.at(index), ph);
}

// ---- the notes ----

// The gABI note layout (libelf, readelf, binfmt_elf's property notes):
// the descriptor starts at the first multiple of `align` after header and
// name, the next note at the first one after the descriptor. With 4-byte
// alignment that is the name padded to 4; with 8, "KML\0" needs none.
std::uint64_t noteDesc(std::uint64_t namesz, std::uint64_t align) {
  return alignUp(sizeof(Elf64_Nhdr) + namesz, align);
}

std::uint64_t noteNext(std::uint64_t namesz, std::uint64_t descsz,
                       std::uint64_t align) {
  return alignUp(noteDesc(namesz, align) + descsz, align);
}

void appendNote(Bytes &out, std::uint32_t namesz, std::string_view name,
                std::uint32_t descsz, std::uint32_t type, View desc,
                unsigned align) {
  const std::size_t start = out.size();
  out.resize(start + noteNext(namesz, descsz, align));
  store(out, start, Elf64_Nhdr{namesz, descsz, type});
  std::copy_n(reinterpret_cast<const std::byte *>(name.data()),
              std::min<std::size_t>(namesz, name.size()),
              out.begin() +
                  static_cast<std::ptrdiff_t>(start + sizeof(Elf64_Nhdr)));
  std::copy_n(desc.begin(), std::min<std::size_t>(descsz, desc.size()),
              out.begin() +
                  static_cast<std::ptrdiff_t>(start + noteDesc(namesz, align)));
}

constexpr std::uint32_t kVersions[] = {
    KML_NOTE_VERSION, KML_NOTE_VERSION, KML_NOTE_VERSION, 0, 2, 0xffffffff};
constexpr std::uint32_t kFlags[] = {0,
                                    KML_NOTE_F_ENABLE,
                                    KML_NOTE_F_ENABLE,
                                    KML_NOTE_F_BYPASS,
                                    KML_NOTE_F_ENABLE | KML_NOTE_F_BYPASS,
                                    KML_NOTE_F_ENABLE | 0x4,
                                    0x80000000,
                                    0xffffffff};
constexpr std::uint32_t kDescSizes[] = {sizeof(struct kml_note),
                                        sizeof(struct kml_note),
                                        8,
                                        7,
                                        4,
                                        0,
                                        12,
                                        33,
                                        36,
                                        64};
// Sizes a reader must not trust.
constexpr std::uint32_t kLyingSizes[] = {
    0,          1,          3,          5,          7,    9,
    0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, 4096, 65536};

// One note of a note segment: a KML marker most of the time, else a
// foreign note, or a near miss of the marker.
std::string appendSomeNote(Bytes &blob, Rng &rng, unsigned align) {
  const std::uint32_t version = rng.pick(kVersions);
  const std::uint32_t flags = rng.pick(kFlags);
  const std::array<std::uint32_t, 2> words{version, flags};
  const View desc(reinterpret_cast<const std::byte *>(words.data()),
                  sizeof words);
  switch (rng.below(8)) {
  case 0: {
    const std::array<std::byte, 20> id{};
    appendNote(blob, 4, "GNU", id.size(), 3, id, align);
    return "GNU build-id";
  }
  case 1: {
    const std::uint32_t type = rng.pick({0U, 2U, 0x100U});
    appendNote(blob, KML_NOTE_NAMESZ, KML_NOTE_NAME, sizeof(struct kml_note),
               type, desc, align);
    return cat("KML note of type ", type);
  }
  case 2: {
    const std::uint32_t namesz = rng.pick({3U, 5U});
    appendNote(blob, namesz, KML_NOTE_NAME, sizeof(struct kml_note),
               NT_KML_MARKER, desc, align);
    return cat("KML note with n_namesz ", namesz);
  }
  default: {
    const std::uint32_t descsz = rng.pick(kDescSizes);
    const std::uint64_t at = blob.size();
    const Bytes note = markerNote(version, flags, descsz, align);
    blob.insert(blob.end(), note.begin(), note.end());
    std::string what =
        cat("marker v", version, " flags ", hex(flags), " descsz ", descsz);
    if (rng.oneIn(6)) { // sizes that lie about the bytes that follow
      const Field field =
          rng.oneIn(2) ? Field{"n_descsz", 4, 4} : Field{"n_namesz", 0, 4};
      what += " " + writeField(blob, at, field, rng.pick(kLyingSizes), "");
    }
    return what;
  }
  }
}

std::string mutateMarkerNote(Bytes &bytes, Rng &rng) {
  static constexpr std::uint32_t kVictims[] = {PT_NOTE, PT_GNU_STACK, PT_NULL,
                                               PT_GNU_PROPERTY};
  const auto index = victim(bytes, rng, kVictims);
  if (!index) {
    return "";
  }
  const unsigned align = rng.oneIn(4) ? 8 : 4;
  Bytes blob;
  std::vector<std::string> notes;
  const bool conflict = rng.oneIn(4);
  if (conflict) { // two markers that disagree
    const Bytes on = markerNote(KML_NOTE_VERSION, KML_NOTE_F_ENABLE,
                                sizeof(struct kml_note), align);
    const Bytes off =
        markerNote(KML_NOTE_VERSION, 0, sizeof(struct kml_note), align);
    const bool onFirst = rng.oneIn(2);
    blob.insert(blob.end(), (onFirst ? on : off).begin(),
                (onFirst ? on : off).end());
    blob.insert(blob.end(), (onFirst ? off : on).begin(),
                (onFirst ? off : on).end());
    notes.emplace_back(onFirst ? "conflicting markers enabled, disabled"
                               : "conflicting markers disabled, enabled");
  } else {
    const std::uint64_t count = 1 + (rng.oneIn(3) ? rng.below(3) : 0);
    for (std::uint64_t i = 0; i < count; ++i) {
      notes.push_back(appendSomeNote(blob, rng, align));
    }
  }
  const std::uint64_t offset = appendBlob(bytes, blob, align, rng);
  std::uint64_t size = blob.size();
  if (rng.oneIn(8)) { // a segment that ends inside its last note or beyond
    size = rng.oneIn(2)
               ? size - 1 - rng.below(std::min<std::uint64_t>(size, 16))
               : size + 1 + rng.below(16);
  }
  std::uint64_t pAlign = align;
  if (rng.oneIn(10)) {
    pAlign = rng.pick({std::uint64_t{0}, std::uint64_t{3}, std::uint64_t{16}});
  }
  retarget(bytes, *index, PT_NOTE, offset, size, pAlign);
  std::string what = cat("phdr ", *index, " PT_NOTE at ", hex(offset), " size ",
                         hex(size), " align ", pAlign, ":");
  for (const auto &note : notes) {
    what += " [" + note + "]";
  }
  if (rng.oneIn(4)) {
    static constexpr std::uint32_t kAny[] = {PT_GNU_STACK, PT_NULL};
    const auto second = victim(bytes, rng, kAny);
    if (second && *second != *index) {
      // The same bytes through a second PT_NOTE (one marker, seen twice),
      // or a second copy of them (two markers).
      std::uint64_t again = offset;
      if (rng.oneIn(2)) {
        again = appendBlob(bytes, blob, align, rng);
      }
      retarget(bytes, *second, PT_NOTE, again, size, pAlign);
      what += cat(again == offset ? "; the same notes through phdr "
                                  : "; a copy of them through phdr ",
                  *second);
    }
  }
  return what;
}

std::string mutateNoteSizes(Bytes &bytes, Rng &rng) {
  const auto notes = findNotes(bytes);
  if (notes.empty()) {
    return "";
  }
  const NoteRef &note = rng.pick(std::span<const NoteRef>(notes));
  const Table phdrs = phdrTable(bytes);
  const Elf64_Phdr ph = phdr(bytes, phdrs, note.segment);
  switch (rng.below(4)) {
  case 0: { // the segment ends inside the note
    static constexpr Field kFilesz{"p_filesz", 32, 8};
    const std::uint64_t cut = note.offset - ph.p_offset +
                              rng.pick({1U, 4U, 11U, 12U, 13U, 15U, 16U, 17U,
                                        20U, 24U, 31U, 44U, 47U});
    return writeField(bytes, phdrs.at(note.segment), kFilesz, cut,
                      cat("phdr ", note.segment, " "));
  }
  case 1: {
    static constexpr Field kAlign{"p_align", 48, 8};
    return writeField(bytes, phdrs.at(note.segment), kAlign,
                      rng.pick({std::uint64_t{0}, std::uint64_t{1},
                                std::uint64_t{3}, std::uint64_t{4},
                                std::uint64_t{8}, std::uint64_t{16}, kMax64}),
                      cat("phdr ", note.segment, " "));
  }
  default: {
    static constexpr Field kNoteFields[] = {
        {"n_namesz", 0, 4}, {"n_descsz", 4, 4}, {"n_type", 8, 4}};
    const Field &field = rng.pick(kNoteFields);
    const std::uint64_t room = note.end - note.offset;
    const std::uint64_t value =
        rng.oneIn(3)
            ? rng.pick({room, room + 1, room + 4, room - 12, room - 13})
            : rng.pick(kLyingSizes);
    return writeField(bytes, note.offset, field, value,
                      cat("note at ", hex(note.offset), " "));
  }
  }
}

std::string mutateMarkerFields(Bytes &bytes, Rng &rng) {
  std::vector<NoteRef> markers;
  for (const NoteRef &note : findNotes(bytes)) {
    if (note.kmlMarker) {
      markers.push_back(note);
    }
  }
  if (markers.empty()) {
    return "";
  }
  const NoteRef &marker = rng.pick(std::span<const NoteRef>(markers));
  // "KML\0" ends at 16, a multiple of 4 and 8: the descriptor is there.
  const std::uint64_t desc = marker.offset + noteDesc(KML_NOTE_NAMESZ, 4);
  const std::string where = cat("marker at ", hex(marker.offset), " ");
  switch (rng.below(7)) {
  case 0:
    return writeField(bytes, desc, {"version", 0, 4}, rng.pick(kVersions),
                      where);
  case 1:
  case 2:
    return writeField(bytes, desc, {"flags", 4, 4}, rng.pick(kFlags), where);
  case 3:
    return writeField(bytes, marker.offset, {"n_descsz", 4, 4},
                      rng.pick({0U, 4U, 7U, 8U, 9U, 31U, 33U, 0xffffffffU}),
                      where);
  case 4:
    return writeField(bytes, marker.offset, {"n_namesz", 0, 4},
                      rng.pick({0U, 3U, 5U, 8U}), where);
  case 5:
    return writeField(bytes, marker.offset, {"n_type", 8, 4},
                      rng.pick({0U, 2U, 0x80000001U}), where);
  default:
    return writeField(bytes, desc + 8 + 4 * rng.below(6), {"reserved", 0, 4},
                      rng.next(), where);
  }
}

// ---- headers ----

std::string mutateHeaderField(Bytes &bytes, Rng &rng) {
  static constexpr Field kTableFields[] = {
      {"e_phoff", 32, 8},    {"e_phnum", 56, 2}, {"e_phentsize", 54, 2},
      {"e_shoff", 40, 8},    {"e_shnum", 60, 2}, {"e_shentsize", 58, 2},
      {"e_shstrndx", 62, 2}, {"e_type", 16, 2}};
  static constexpr Field kOtherFields[] = {
      {"EI_DATA", 5, 1},    {"EI_VERSION", 6, 1}, {"EI_OSABI", 7, 1},
      {"e_machine", 18, 2}, {"e_version", 20, 4}, {"e_entry", 24, 8},
      {"e_flags", 48, 4},   {"e_ehsize", 52, 2}};
  const Field &field =
      rng.oneIn(4) ? rng.pick(kOtherFields) : rng.pick(kTableFields);
  const auto current = readField(bytes, 0, field);
  if (!current) {
    return "";
  }
  const std::uint64_t size = bytes.size();
  std::uint64_t value = interesting(rng, field.width, *current, size);
  if (rng.oneIn(2)) {
    const std::string_view name = field.name;
    const auto phnum = readField(bytes, 0, {"", 56, 2}).value_or(0);
    if (name == "e_phoff") {
      value = rng.pick({std::uint64_t{sizeof(Elf64_Ehdr)}, *current + 1,
                        *current + sizeof(Elf64_Phdr),
                        size - phnum * sizeof(Elf64_Phdr),
                        size - phnum * sizeof(Elf64_Phdr) + 1, kMax64 - 0xfff});
    } else if (name == "e_phnum" || name == "e_shnum") {
      value = rng.pick({std::uint64_t{0}, std::uint64_t{1}, *current + 1,
                        *current - 1, *current * 2, std::uint64_t{PN_XNUM},
                        std::uint64_t{0x7fff}});
    } else if (name == "e_phentsize" || name == "e_shentsize") {
      value = rng.pick({0U, 32U, 40U, 55U, 57U, 63U, 64U, 65U, 112U});
    } else if (name == "e_type") {
      value = rng.pick(
          {ET_NONE, ET_REL, ET_EXEC, ET_DYN, ET_CORE, 0xfe00, 0xff00, 0xffff});
    }
  }
  return writeField(bytes, 0, field, value, "");
}

// Rewrites the file as ELFCLASS32 with 32-bit headers (program headers
// converted, section headers dropped): i386 or x32 (EM_X86_64).
std::string toElf32(Bytes &bytes, std::uint16_t machine) {
  const auto eh = header64(bytes);
  const Table phdrs = phdrTable(bytes);
  if (!eh || eh->e_phoff > UINT32_MAX) {
    return "";
  }
  std::vector<Elf64_Phdr> old;
  old.reserve(phdrs.count);
  for (std::uint64_t i = 0; i < phdrs.count; ++i) {
    old.push_back(phdr(bytes, phdrs, i));
  }
  Elf32_Ehdr e32{};
  std::memcpy(e32.e_ident, eh->e_ident, EI_NIDENT);
  e32.e_ident[EI_CLASS] = ELFCLASS32;
  e32.e_type = eh->e_type;
  e32.e_machine = machine;
  e32.e_version = eh->e_version;
  e32.e_entry = static_cast<Elf32_Addr>(eh->e_entry);
  e32.e_phoff = static_cast<Elf32_Off>(eh->e_phoff);
  e32.e_ehsize = sizeof(Elf32_Ehdr);
  e32.e_phentsize = sizeof(Elf32_Phdr);
  e32.e_phnum = static_cast<Elf32_Half>(old.size());
  e32.e_shentsize = sizeof(Elf32_Shdr);
  std::fill_n(bytes.begin(), sizeof(Elf64_Ehdr), std::byte{0});
  store(bytes, 0, e32);
  for (std::size_t i = 0; i < old.size(); ++i) {
    const Elf64_Phdr &p = old[i];
    const Elf32_Phdr p32{p.p_type,
                         static_cast<Elf32_Off>(p.p_offset),
                         static_cast<Elf32_Addr>(p.p_vaddr),
                         static_cast<Elf32_Addr>(p.p_paddr),
                         static_cast<Elf32_Word>(p.p_filesz),
                         static_cast<Elf32_Word>(p.p_memsz),
                         p.p_flags,
                         static_cast<Elf32_Word>(p.p_align)};
    store(bytes, eh->e_phoff + i * sizeof(Elf32_Phdr), p32);
  }
  return cat("ELFCLASS32, machine ", machine, ", ", old.size(),
             " program headers");
}

std::string mutateElfClass(Bytes &bytes, Rng &rng) {
  if (bytes.size() < EI_NIDENT) {
    return "";
  }
  switch (rng.below(6)) {
  case 0:
    return writeField(bytes, 0, {"EI_CLASS", EI_CLASS, 1}, ELFCLASS32, "");
  case 1:
    return writeField(bytes, 0, {"EI_CLASS", EI_CLASS, 1},
                      rng.pick({0U, 3U, 0x80U, 0xffU}), "");
  case 2:
    return writeField(bytes, 0, {"EI_DATA", EI_DATA, 1}, ELFDATA2MSB, "");
  case 3:
  case 4: {
    const bool x32 = rng.oneIn(2);
    const std::string what = toElf32(bytes, x32 ? EM_X86_64 : EM_386);
    return what.empty() ? "" : cat(x32 ? "x32: " : "i386: ", what);
  }
  default:
    return writeField(bytes, 0, {"e_machine", 18, 2},
                      rng.pick({EM_386, EM_AARCH64, EM_NONE, 0xffff}), "");
  }
}

std::string mutateProgramHeader(Bytes &bytes, Rng &rng) {
  const Table phdrs = phdrTable(bytes);
  if (phdrs.count == 0) {
    return "";
  }
  static constexpr Field kFields[] = {
      {"p_type", 0, 4},    {"p_flags", 4, 4},   {"p_offset", 8, 8},
      {"p_offset", 8, 8},  {"p_vaddr", 16, 8},  {"p_paddr", 24, 8},
      {"p_filesz", 32, 8}, {"p_filesz", 32, 8}, {"p_memsz", 40, 8},
      {"p_align", 48, 8},  {"p_align", 48, 8}};
  const std::uint64_t index = rng.below(phdrs.count);
  const Elf64_Phdr ph = phdr(bytes, phdrs, index);
  const Field &field = rng.pick(kFields);
  const std::uint64_t size = bytes.size();
  const std::uint64_t current = readKnownField(bytes, phdrs.at(index), field);
  std::uint64_t value = interesting(rng, field.width, current, size);
  const std::string_view name = field.name;
  static constexpr std::uint32_t kTypes[] = {
      PT_NULL,         PT_LOAD,      PT_DYNAMIC,      PT_INTERP,
      PT_NOTE,         PT_PHDR,      PT_TLS,          PT_GNU_STACK,
      PT_GNU_PROPERTY, PT_GNU_RELRO, PT_GNU_EH_FRAME, 0x6fffffff};
  static constexpr std::uint32_t kPermissions[] = {
      0, PF_R, PF_X, PF_R | PF_W | PF_X, 0xffffffff};
  if (rng.oneIn(3)) {
    // keep the generic value
  } else if (name == "p_type") {
    value = rng.pick(kTypes);
  } else if (name == "p_offset") {
    value = rng.pick({size, size - 1, size + 1, current + 1, current + 3,
                      std::uint64_t{0}, kMax64, kMax64 - 0xfff,
                      std::uint64_t{1} << 63, rng.below(size + 1)});
  } else if (name == "p_filesz") {
    value =
        rng.pick({std::uint64_t{0}, size - ph.p_offset, size - ph.p_offset + 1,
                  kMax64, kMax64 - ph.p_offset + 1, std::uint64_t{1} << 32,
                  current * 2, current + 1, current - 1, ph.p_memsz + 1});
  } else if (name == "p_memsz") {
    value = rng.pick({std::uint64_t{0}, ph.p_filesz - 1, kMax64,
                      std::uint64_t{0x7ffffffff000},
                      std::uint64_t{0x800000000000}, current * 2});
  } else if (name == "p_vaddr" || name == "p_paddr") {
    value = rng.pick(
        {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x7ffffffff000},
         std::uint64_t{0x7ffffffff000} - 0x1000,
         std::uint64_t{0xffff800000000000}, kMax64 & ~std::uint64_t{0xfff},
         current + 1, current + 0x1000});
  } else if (name == "p_align") {
    value = rng.pick({std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{2},
                      std::uint64_t{3}, std::uint64_t{4}, std::uint64_t{8},
                      std::uint64_t{0x1000}, std::uint64_t{0x1001},
                      std::uint64_t{0x200000}, std::uint64_t{1} << 63, kMax64});
  } else {
    value = rng.pick(kPermissions);
  }
  return writeField(bytes, phdrs.at(index), field, value,
                    cat("phdr ", index, " "));
}

std::string mutatePhdrShuffle(Bytes &bytes, Rng &rng) {
  const Table phdrs = phdrTable(bytes);
  if (phdrs.count < 2) {
    return "";
  }
  const std::uint64_t a = rng.below(phdrs.count);
  std::uint64_t b = rng.below(phdrs.count - 1);
  b += b >= a ? 1 : 0;
  const Elf64_Phdr pa = phdr(bytes, phdrs, a);
  const Elf64_Phdr pb = phdr(bytes, phdrs, b);
  switch (rng.below(3)) {
  case 0:
    store(bytes, phdrs.at(a), pb);
    store(bytes, phdrs.at(b), pa);
    return cat("swap phdr ", a, " and ", b);
  case 1:
    store(bytes, phdrs.at(b), pa);
    return cat("copy phdr ", a, " over ", b);
  default:
    for (std::uint64_t i = 0; i < phdrs.count / 2; ++i) {
      const std::uint64_t j = phdrs.count - 1 - i;
      const Elf64_Phdr pi = phdr(bytes, phdrs, i);
      store(bytes, phdrs.at(i), phdr(bytes, phdrs, j));
      store(bytes, phdrs.at(j), pi);
    }
    return "reverse the program header table";
  }
}

std::string mutateInterp(Bytes &bytes, Rng &rng) {
  static constexpr std::uint32_t kVictims[] = {PT_GNU_STACK, PT_NOTE, PT_NULL,
                                               PT_INTERP};
  const auto index = victim(bytes, rng, kVictims);
  if (!index) {
    return "";
  }
  Bytes path;
  std::string what;
  std::optional<std::uint64_t> offset; // else: append `path`
  std::uint64_t size = 0;
  switch (rng.below(9)) {
  case 0:
    appendText(path, std::string(5000, 'a'));
    path.push_back(std::byte{0});
    what = "a 5000-byte path";
    break;
  case 1:
    appendText(path, "/lib64/ld");
    what = "an unterminated path";
    break;
  case 2:
    what = "an empty path";
    break;
  case 3:
    path.push_back(std::byte{0});
    what = "\"\"";
    break;
  case 4:
    appendText(path, "ld-kml.so");
    path.push_back(std::byte{0});
    what = "a relative path";
    break;
  case 5:
    offset = bytes.size() + 100;
    size = 24;
    what = "a path beyond the end of the file";
    break;
  case 6:
    offset = 0;
    size = 16;
    what = "the ELF header as a path";
    break;
  default:
    appendText(path, "/nonexistent/ld-kml.so.1");
    path.push_back(std::byte{0});
    what = "a missing interpreter";
    break;
  }
  if (!offset) {
    offset = appendBlob(bytes, path, 1, rng);
    size = path.size();
  }
  if (rng.oneIn(8)) {
    size = kMax64;
    what += ", p_filesz huge";
  }
  retarget(bytes, *index, PT_INTERP, *offset, size, 1);
  return cat("phdr ", *index, " PT_INTERP: ", what);
}

// Changes one entry of an existing PT_DYNAMIC (static-pie); "" if none.
std::string mutateDynamicEntry(Bytes &bytes, Rng &rng) {
  const Table phdrs = phdrTable(bytes);
  for (std::uint64_t i = 0; i < phdrs.count; ++i) {
    const Elf64_Phdr ph = phdr(bytes, phdrs, i);
    if (ph.p_type == PT_DYNAMIC && ph.p_filesz >= sizeof(Elf64_Dyn) &&
        fits(ph.p_offset, ph.p_filesz, bytes.size())) {
      const std::uint64_t at =
          ph.p_offset +
          rng.below(ph.p_filesz / sizeof(Elf64_Dyn)) * sizeof(Elf64_Dyn);
      return writeField(bytes, at, {"d_tag", 0, 8},
                        rng.pick({std::uint64_t{DT_NEEDED},
                                  std::uint64_t{DT_NULL}, rng.next()}),
                        cat("dynamic entry at ", hex(at), " "));
    }
  }
  return "";
}

std::string mutateDynamic(Bytes &bytes, Rng &rng) {
  if (rng.oneIn(2)) {
    if (std::string what = mutateDynamicEntry(bytes, rng); !what.empty()) {
      return what;
    }
  }
  static constexpr std::uint32_t kVictims[] = {PT_GNU_STACK, PT_NOTE, PT_NULL,
                                               PT_DYNAMIC};
  const auto index = victim(bytes, rng, kVictims);
  if (!index) {
    return "";
  }
  Bytes entries;
  if (rng.oneIn(2)) {
    append(entries, Elf64_Dyn{DT_STRTAB, {0}});
  }
  const bool needed = !rng.oneIn(4);
  if (needed) {
    append(entries, Elf64_Dyn{DT_NEEDED, {1}});
  }
  const bool terminated = !rng.oneIn(3);
  if (terminated) {
    append(entries, Elf64_Dyn{DT_NULL, {0}});
  }
  const std::uint64_t offset = appendBlob(bytes, entries, 8, rng);
  std::uint64_t size = entries.size();
  size = rng.pick({size, size, size - 8, size + 16, std::uint64_t{0}, kMax64});
  retarget(bytes, *index, PT_DYNAMIC, offset, size, 8);
  return cat("phdr ", *index, " PT_DYNAMIC", needed ? " DT_NEEDED" : "",
             terminated ? "" : " unterminated", ", p_filesz ", hex(size));
}

std::string mutateSectionHeader(Bytes &bytes, Rng &rng) {
  const Table shdrs = shdrTable(bytes);
  if (shdrs.count == 0) {
    return "";
  }
  if (rng.oneIn(3)) { // a symbol
    for (std::uint64_t i = 0; i < shdrs.count; ++i) {
      const auto sh = loadKnown<Elf64_Shdr>(bytes, shdrs.at(i));
      if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize != sizeof(Elf64_Sym)) {
        continue;
      }
      const Table syms =
          table(bytes, sh.sh_offset, sh.sh_size / sizeof(Elf64_Sym),
                sizeof(Elf64_Sym), sizeof(Elf64_Sym));
      if (syms.count == 0) {
        break;
      }
      static constexpr Field kSymFields[] = {{"st_name", 0, 4},
                                             {"st_info", 4, 1},
                                             {"st_shndx", 6, 2},
                                             {"st_value", 8, 8},
                                             {"st_size", 16, 8}};
      const std::uint64_t sym = rng.below(syms.count);
      const Field &field = rng.pick(kSymFields);
      const std::uint64_t current = readKnownField(bytes, syms.at(sym), field);
      return writeField(bytes, syms.at(sym), field,
                        interesting(rng, field.width, current, bytes.size()),
                        cat("symbol ", sym, " "));
    }
  }
  static constexpr Field kFields[] = {
      {"sh_name", 0, 4},    {"sh_type", 4, 4},    {"sh_flags", 8, 8},
      {"sh_addr", 16, 8},   {"sh_offset", 24, 8}, {"sh_size", 32, 8},
      {"sh_link", 40, 4},   {"sh_info", 44, 4},   {"sh_addralign", 48, 8},
      {"sh_entsize", 56, 8}};
  const std::uint64_t index = rng.below(shdrs.count);
  const Field &field = rng.pick(kFields);
  const std::uint64_t current = readKnownField(bytes, shdrs.at(index), field);
  std::uint64_t value = interesting(rng, field.width, current, bytes.size());
  const std::string_view name = field.name;
  if (rng.oneIn(2) && name == "sh_type") {
    value = rng.pick({SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA,
                      SHT_NOTE, SHT_NOBITS, SHT_DYNSYM, SHT_GROUP,
                      SHT_SYMTAB_SHNDX});
  } else if (rng.oneIn(2) && name == "sh_flags") {
    value = rng.pick({std::uint64_t{0}, std::uint64_t{SHF_ALLOC},
                      std::uint64_t{SHF_ALLOC | SHF_EXECINSTR},
                      std::uint64_t{SHF_ALLOC | SHF_WRITE}, kMax64});
  } else if (rng.oneIn(2) && name == "sh_entsize") {
    value = rng.pick({std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{23},
                      std::uint64_t{24}, kMax64});
  }
  return writeField(bytes, shdrs.at(index), field, value,
                    cat("section ", index, " "));
}

// ---- unwind tables ----

// The file range of the section called `name`, clamped to the file.
std::optional<std::pair<std::uint64_t, std::uint64_t>>
sectionByName(View bytes, std::string_view name) {
  const auto at = findSectionHeader(bytes, name);
  if (!at) {
    return std::nullopt;
  }
  const auto sh = loadKnown<Elf64_Shdr>(bytes, *at);
  if (sh.sh_offset >= bytes.size()) {
    return std::nullopt;
  }
  return std::pair{sh.sh_offset,
                   std::min(sh.sh_size, bytes.size() - sh.sh_offset)};
}

constexpr std::uint8_t kEncodings[] = {0x00, 0x01, 0x03, 0x04, 0x09, 0x0b,
                                       0x0c, 0x1b, 0x3b, 0x50, 0x80, 0xff};

// The .eh_frame_hdr through PT_GNU_EH_FRAME: version, encodings, count.
std::string mutateEhFrameHeader(Bytes &bytes, Rng &rng) {
  const Table phdrs = phdrTable(bytes);
  for (std::uint64_t i = 0; i < phdrs.count; ++i) {
    const Elf64_Phdr ph = phdr(bytes, phdrs, i);
    if (ph.p_type != PT_GNU_EH_FRAME || ph.p_filesz < 12 ||
        !fits(ph.p_offset, ph.p_filesz, bytes.size())) {
      continue;
    }
    static constexpr Field kFields[] = {
        {"version", 0, 1},       {"eh_frame_ptr_enc", 1, 1},
        {"fde_count_enc", 2, 1}, {"table_enc", 3, 1},
        {"eh_frame_ptr", 4, 4},  {"fde_count", 8, 4}};
    const Field &field = rng.pick(kFields);
    const std::uint64_t current = readKnownField(bytes, ph.p_offset, field);
    const std::uint64_t value =
        field.width == 1 && !rng.oneIn(4)
            ? rng.pick(kEncodings)
            : interesting(rng, field.width, current, bytes.size());
    return writeField(bytes, ph.p_offset, field, value, ".eh_frame_hdr ");
  }
  return "";
}

std::string mutateUnwindTables(Bytes &bytes, Rng &rng) {
  const auto section = sectionByName(bytes, ".eh_frame");
  if (rng.oneIn(4) || !section) {
    return mutateEhFrameHeader(bytes, rng);
  }
  // The entries (CIEs and FDEs), walked by their length words.
  const auto [first, size] = *section;
  std::vector<std::uint64_t> entries;
  for (std::uint64_t at = first;
       fits(at, 8, first + size) && entries.size() < 100000;) {
    const auto length = loadKnown<std::uint32_t>(bytes, at);
    if (length == 0 || length == 0xffffffff) {
      break;
    }
    entries.push_back(at);
    at += 4 + std::uint64_t{length};
  }
  if (entries.empty()) {
    return "";
  }
  const std::uint64_t at = rng.pick(std::span<const std::uint64_t>(entries));
  const auto length = loadKnown<std::uint32_t>(bytes, at);
  const std::uint64_t end =
      std::min<std::uint64_t>(at + 4 + length, bytes.size());
  const bool cie = load<std::uint32_t>(bytes, at + 4) == 0U;
  const std::string where =
      cat(".eh_frame ", cie ? "CIE" : "FDE", " at ", hex(at), " ");
  switch (rng.below(5)) {
  case 0:
    return writeField(
        bytes, at, {"length", 0, 4},
        rng.pick({0U, 4U, 8U, 0xfffffff0U, 0xffffffffU, length + 1, length - 1,
                  length * 2, static_cast<std::uint32_t>(rng.next())}),
        where);
  case 1:
    return writeField(bytes, at, {cie ? "CIE id" : "CIE pointer", 4, 4},
                      rng.pick({0U, 4U, 0xffffffffU,
                                static_cast<std::uint32_t>(at - first + 4),
                                static_cast<std::uint32_t>(at - first + 8),
                                static_cast<std::uint32_t>(rng.next())}),
                      where);
  case 2:
    if (cie) {
      return writeField(bytes, at, {"version", 8, 1},
                        rng.pick({0U, 2U, 3U, 4U, 0xffU}), where);
    }
    return writeField(bytes, at, {"pc_begin", 8, 4},
                      static_cast<std::uint32_t>(rng.next()), where);
  case 3: { // CIE: the augmentation string; FDE: its first bytes
    static constexpr std::string_view kAugmentations[] = {
        "zR", "zPLR", "zRS", "zX", "eh", "z", "zRRRRRRRRRRRR", "zP"};
    const std::string_view text = rng.pick(kAugmentations);
    const std::uint64_t from = at + (cie ? 9 : 8);
    const std::uint64_t count = std::min<std::uint64_t>(
        text.size() + (rng.oneIn(3) ? 0 : 1), end > from ? end - from : 0);
    for (std::uint64_t i = 0; i < count; ++i) {
      bytes[from + i] =
          i < text.size() ? static_cast<std::byte>(text[i]) : std::byte{0};
    }
    return count == 0 ? "" : cat(where, "augmentation \"", text, "\"");
  }
  default: { // an overlong LEB128 or a pointer encoding byte
    if (end <= at + 10) {
      return "";
    }
    const std::uint64_t from = at + 9 + rng.below(end - at - 9);
    if (rng.oneIn(3)) {
      bytes[from] = static_cast<std::byte>(rng.pick(kEncodings));
      return cat(where, "byte at ", hex(from), " = encoding");
    }
    const std::uint64_t count =
        std::min<std::uint64_t>(2 + rng.below(10), end - from);
    for (std::uint64_t i = 0; i < count; ++i) {
      bytes[from + i] = std::byte{0x80};
    }
    if (rng.oneIn(2) && count > 0) {
      bytes[from + count - 1] =
          rng.pick({std::byte{0x40}, std::byte{0x7f}, std::byte{0x01}});
    }
    return cat(where, count, "-byte LEB128 at ", hex(from));
  }
  }
}

// ---- whole-file changes ----

std::string mutateTruncate(Bytes &bytes, Rng &rng) {
  const auto points = truncationPoints(bytes);
  if (points.empty()) {
    return "";
  }
  std::uint64_t size = rng.pick(std::span<const std::uint64_t>(points));
  if (rng.oneIn(3)) {
    size += rng.below(7);
    size = size >= 3 ? size - 3 : 0;
  }
  if (size >= bytes.size()) {
    size = rng.below(bytes.size());
  }
  const std::uint64_t old = bytes.size();
  bytes.resize(size);
  return cat("to ", size, " of ", old, " bytes");
}

std::string mutateByteFlips(Bytes &bytes, Rng &rng) {
  if (bytes.empty()) {
    return "";
  }
  const std::uint64_t count =
      rng.oneIn(4) ? 1 + rng.below(16) : 1 + rng.below(3);
  std::uint64_t first = 0;
  std::uint64_t end = bytes.size();
  std::string where = "anywhere";
  switch (rng.below(3)) {
  case 0: {
    const Table phdrs = phdrTable(bytes);
    end = std::min<std::uint64_t>(
        bytes.size(),
        std::max<std::uint64_t>(sizeof(Elf64_Ehdr), phdrs.at(phdrs.count)));
    where = "in the headers";
    break;
  }
  case 1: {
    const auto notes = findNotes(bytes);
    if (!notes.empty()) {
      const NoteRef &note = rng.pick(std::span<const NoteRef>(notes));
      first = note.offset;
      end = std::min<std::uint64_t>(note.end, note.offset + 64);
      where = cat("in the note at ", hex(note.offset));
    }
    break;
  }
  default:
    break;
  }
  if (first >= end) {
    first = 0;
    end = bytes.size();
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    std::byte &b = bytes[first + rng.below(end - first)];
    switch (rng.below(4)) {
    case 0:
      b ^= static_cast<std::byte>(1U << rng.below(8));
      break;
    case 1:
      b = std::byte{0};
      break;
    case 2:
      b = std::byte{0xff};
      break;
    default:
      b = static_cast<std::byte>(rng.next());
      break;
    }
  }
  return cat(count, " bytes ", where);
}

std::string mutateAppend(Bytes &bytes, Rng &rng) {
  const std::uint64_t count =
      rng.pick({std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{64},
                std::uint64_t{4096}, 1 + rng.below(8192)});
  const bool noise = rng.oneIn(2);
  for (std::uint64_t i = 0; i < count; ++i) {
    bytes.push_back(noise ? static_cast<std::byte>(rng.next()) : std::byte{0});
  }
  return cat(count, noise ? " random bytes" : " zero bytes");
}

// How often each mutation is picked.
constexpr std::array<unsigned, kMutationCount> kWeights = {
    10, // HeaderField
    4,  // ElfClass
    14, // ProgramHeader
    4,  // PhdrShuffle
    10, // NoteSizes
    14, // MarkerNote
    8,  // MarkerFields
    5,  // Interp
    4,  // Dynamic
    8,  // SectionHeader
    6,  // Truncate
    10, // ByteFlips
    3,  // Append
    6,  // UnwindTables
};

Mutation pickMutation(Rng &rng) {
  unsigned total = 0;
  for (const unsigned w : kWeights) {
    total += w;
  }
  std::uint64_t roll = rng.below(total);
  for (unsigned i = 0; i < kMutationCount; ++i) {
    if (roll < kWeights[i]) {
      return static_cast<Mutation>(i);
    }
    roll -= kWeights[i];
  }
  return Mutation::ByteFlips;
}

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

} // namespace

std::uint64_t Rng::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  return mix(state_);
}

std::uint64_t Rng::below(std::uint64_t bound) {
  return bound == 0 ? 0 : next() % bound;
}

Rng rngFor(std::uint64_t runSeed, std::uint64_t index) {
  return Rng(mix(runSeed) ^ mix(index + 0x632be59bd9b4e019ULL));
}

std::string_view mutationName(Mutation mutation) {
  static constexpr std::array<std::string_view, kMutationCount> kNames = {
      "HeaderField", "ElfClass",      "ProgramHeader", "PhdrShuffle",
      "NoteSizes",   "MarkerNote",    "MarkerFields",  "Interp",
      "Dynamic",     "SectionHeader", "Truncate",      "ByteFlips",
      "Append",      "UnwindTables"};
  const auto i = static_cast<unsigned>(mutation);
  return i < kMutationCount ? kNames[i] : "?";
}

std::string applyMutation(Mutation mutation, std::vector<std::byte> &bytes,
                          Rng &rng) {
  switch (mutation) {
  case Mutation::HeaderField:
    return mutateHeaderField(bytes, rng);
  case Mutation::ElfClass:
    return mutateElfClass(bytes, rng);
  case Mutation::ProgramHeader:
    return mutateProgramHeader(bytes, rng);
  case Mutation::PhdrShuffle:
    return mutatePhdrShuffle(bytes, rng);
  case Mutation::NoteSizes:
    return mutateNoteSizes(bytes, rng);
  case Mutation::MarkerNote:
    return mutateMarkerNote(bytes, rng);
  case Mutation::MarkerFields:
    return mutateMarkerFields(bytes, rng);
  case Mutation::Interp:
    return mutateInterp(bytes, rng);
  case Mutation::Dynamic:
    return mutateDynamic(bytes, rng);
  case Mutation::SectionHeader:
    return mutateSectionHeader(bytes, rng);
  case Mutation::Truncate:
    return mutateTruncate(bytes, rng);
  case Mutation::ByteFlips:
    return mutateByteFlips(bytes, rng);
  case Mutation::Append:
    return mutateAppend(bytes, rng);
  case Mutation::UnwindTables:
    return mutateUnwindTables(bytes, rng);
  }
  return "";
}

Mutant mutate(std::span<const std::byte> seed, std::uint64_t runSeed,
              std::uint64_t index) {
  Rng rng = rngFor(runSeed, index);
  Mutant mutant{{seed.begin(), seed.end()}, {}};
  const std::uint64_t steps = 1 + (rng.oneIn(4) ? rng.below(5) : rng.below(2));
  for (std::uint64_t step = 0; step < steps; ++step) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      const Mutation mutation = pickMutation(rng);
      const std::string what = applyMutation(mutation, mutant.bytes, rng);
      if (!what.empty()) {
        mutant.steps.push_back(cat(mutationName(mutation), ": ", what));
        break;
      }
    }
  }
  if (mutant.steps.empty()) { // nothing applied: an empty or tiny seed
    const Mutation mutation =
        mutant.bytes.empty() ? Mutation::Append : Mutation::ByteFlips;
    mutant.steps.push_back(cat(mutationName(mutation), ": ",
                               applyMutation(mutation, mutant.bytes, rng)));
  }
  return mutant;
}

std::vector<NoteRef> findNotes(std::span<const std::byte> bytes) {
  std::vector<NoteRef> notes;
  const Table phdrs = phdrTable(bytes);
  for (std::uint64_t i = 0; i < phdrs.count; ++i) {
    const Elf64_Phdr ph = phdr(bytes, phdrs, i);
    if (ph.p_type != PT_NOTE || ph.p_offset >= bytes.size()) {
      continue;
    }
    const std::uint64_t end =
        ph.p_offset +
        std::min<std::uint64_t>(ph.p_filesz, bytes.size() - ph.p_offset);
    const std::uint64_t align = ph.p_align == 8 ? 8 : 4;
    for (std::uint64_t at = ph.p_offset;
         fits(at, sizeof(Elf64_Nhdr), end) && notes.size() < 4096;) {
      const auto nh = loadKnown<Elf64_Nhdr>(bytes, at);
      NoteRef note{i, at, end, nh.n_namesz, nh.n_descsz, nh.n_type, false};
      const std::uint64_t name = at + sizeof(Elf64_Nhdr);
      note.kmlMarker =
          nh.n_namesz == KML_NOTE_NAMESZ && nh.n_type == NT_KML_MARKER &&
          fits(name, KML_NOTE_NAMESZ, end) &&
          std::memcmp(bytes.data() + name, KML_NOTE_NAME, KML_NOTE_NAMESZ) == 0;
      notes.push_back(note);
      at += noteNext(nh.n_namesz, nh.n_descsz, align);
    }
  }
  return notes;
}

std::vector<std::uint64_t> truncationPoints(std::span<const std::byte> bytes) {
  std::vector<std::uint64_t> points = {1, SELFMAG, EI_CLASS + 1, EI_NIDENT - 1};
  // Every field boundary of the ELF header.
  for (const std::uint64_t at :
       {16, 18, 20, 24, 32, 40, 48, 52, 54, 56, 58, 60, 62, 63, 64}) {
    points.push_back(at);
  }
  const Table phdrs = phdrTable(bytes);
  for (std::uint64_t i = 0; i <= phdrs.count; ++i) {
    points.push_back(phdrs.at(i));
    points.push_back(phdrs.at(i) + 1);
    points.push_back(phdrs.at(i) - 1);
  }
  for (std::uint64_t i = 0; i < phdrs.count; ++i) {
    const Elf64_Phdr ph = phdr(bytes, phdrs, i);
    for (const std::uint64_t at :
         {ph.p_offset, ph.p_offset + 1, ph.p_offset + ph.p_filesz - 1,
          ph.p_offset + ph.p_filesz}) {
      points.push_back(at);
    }
  }
  for (const NoteRef &note : findNotes(bytes)) {
    const std::uint64_t desc = note.offset + noteDesc(note.namesz, 4);
    for (const std::uint64_t at :
         {note.offset, note.offset + 4, note.offset + 8,
          note.offset + sizeof(Elf64_Nhdr), desc - 1, desc, desc + 4, desc + 8,
          desc + note.descsz - 1, desc + note.descsz}) {
      points.push_back(at);
    }
  }
  const Table shdrs = shdrTable(bytes);
  if (shdrs.count != 0) {
    points.push_back(shdrs.offset);
    points.push_back(shdrs.offset + sizeof(Elf64_Shdr));
    points.push_back(shdrs.at(shdrs.count) - 1);
  }
  std::erase_if(points, [&](std::uint64_t at) { return at >= bytes.size(); });
  std::ranges::sort(points);
  const auto [first, last] = std::ranges::unique(points);
  points.erase(first, last);
  return points;
}

std::optional<std::uint64_t> findSectionHeader(std::span<const std::byte> bytes,
                                               std::string_view name) {
  const Table shdrs = shdrTable(bytes);
  const auto eh = header64(bytes);
  if (!eh || shdrs.count == 0 || eh->e_shstrndx >= shdrs.count) {
    return std::nullopt;
  }
  const auto names = loadKnown<Elf64_Shdr>(bytes, shdrs.at(eh->e_shstrndx));
  for (std::uint64_t i = 0; i < shdrs.count; ++i) {
    const auto sh = loadKnown<Elf64_Shdr>(bytes, shdrs.at(i));
    const std::uint64_t at = names.sh_offset + sh.sh_name;
    if (sh.sh_name < names.sh_size && fits(at, name.size() + 1, bytes.size()) &&
        std::memcmp(bytes.data() + at, name.data(), name.size()) == 0 &&
        bytes[at + name.size()] == std::byte{0}) {
      return shdrs.at(i);
    }
  }
  return std::nullopt;
}

std::vector<std::byte> markerNote(std::uint32_t version, std::uint32_t flags,
                                  std::uint32_t descsz, unsigned align) {
  const std::array<std::uint32_t, 2> words{version, flags};
  Bytes note;
  appendNote(note, KML_NOTE_NAMESZ, KML_NOTE_NAME, descsz, NT_KML_MARKER,
             {reinterpret_cast<const std::byte *>(words.data()), sizeof words},
             align);
  return note;
}

} // namespace kml::fuzz
