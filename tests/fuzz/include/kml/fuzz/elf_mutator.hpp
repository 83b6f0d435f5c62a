#pragma once
// A seeded, deterministic mutator of x86-64 ELF executables, for fuzzing
// the tools that read them (`kml`, `kml-verify --binary`). It knows the
// layout of a 64-bit ELF file well enough to hit what a reader trusts:
// the ELF header, the program header table, PT_NOTE contents (the KML
// marker of loader/uapi/linux/kml_note.h), PT_INTERP and PT_DYNAMIC, the
// section headers and symbols, the unwind tables `kml rewrite` parses, the
// class (32-bit, x32) and the file's end.
//
// Determinism: the same seed bytes, run seed and index give the same
// mutant on every machine. The generator is our own (splitmix64) and no
// <random> distribution is used, since their output is left to the
// standard library.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kml::fuzz {

// splitmix64: tiny, fast, and the same everywhere.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // A value in [0, bound); 0 when bound is 0. The modulo bias is
  // irrelevant for fuzzing.
  std::uint64_t below(std::uint64_t bound);
  bool oneIn(std::uint64_t n) { return below(n) == 0; }
  template <class T> const T &pick(std::span<const T> items) {
    return items[below(items.size())];
  }
  template <class T, std::size_t N> const T &pick(const T (&items)[N]) {
    return items[below(N)];
  }

private:
  std::uint64_t state_;
};

// One independent stream per (run seed, mutant index).
Rng rngFor(std::uint64_t runSeed, std::uint64_t index);

enum class Mutation : unsigned {
  HeaderField,   // e_phoff, e_phnum, e_phentsize, e_shoff, e_shnum, ...
  ElfClass,      // 32-bit, x32, unknown class, big-endian, other machine
  ProgramHeader, // one field of one program header
  PhdrShuffle,   // swap, duplicate or overwrite program headers
  NoteSizes,     // n_namesz/n_descsz/n_type of a note, PT_NOTE cut or align
  MarkerNote,    // a PT_NOTE with one or several (conflicting) KML markers
  MarkerFields,  // version, flags, sizes of an existing KML marker
  Interp,        // a PT_INTERP: missing file, unterminated, huge, ...
  Dynamic,       // a PT_DYNAMIC with DT_NEEDED, unterminated, cut, ...
  SectionHeader, // one field of one section header or symbol
  UnwindTables,  // .eh_frame entries and .eh_frame_hdr (what rewrite parses)
  Truncate,      // cut the file at an interesting boundary
  ByteFlips,     // random bytes, mostly in the headers and notes
  Append,        // grow the file with zeros or noise
};
inline constexpr unsigned kMutationCount = 14;
std::string_view mutationName(Mutation mutation);

struct Mutant {
  std::vector<std::byte> bytes;
  // What was done, one line per mutation, e.g.
  // "ProgramHeader: phdr 3 p_filesz 0x1c8 -> 0xffffffffffffffff".
  std::vector<std::string> steps;
};

// Mutant number `index` of the run `runSeed`, made from `seed` (the bytes
// of a seed file) by one to a few mutations.
Mutant mutate(std::span<const std::byte> seed, std::uint64_t runSeed,
              std::uint64_t index);

// Applies one mutation in place and describes it; returns "" (and leaves
// the bytes alone) when it does not apply, e.g. NoteSizes on a file with
// no readable PT_NOTE.
std::string applyMutation(Mutation mutation, std::vector<std::byte> &bytes,
                          Rng &rng);

// File offsets where cutting the file is interesting: inside and at the
// end of the ELF identification and header, at every program header,
// at the start and end of every segment and note (header, name,
// descriptor), and around the section header table. Sorted, unique, each
// below the file size.
std::vector<std::uint64_t> truncationPoints(std::span<const std::byte> bytes);

// A note found by walking the PT_NOTE segments (4-byte alignment, 8 when
// p_align is 8). Sizes are as stored: the name and descriptor may extend
// beyond the segment or the file.
struct NoteRef {
  std::size_t segment = 0;  // program header index
  std::uint64_t offset = 0; // file offset of the note header
  std::uint64_t end = 0;    // end of its PT_NOTE segment (clamped)
  std::uint32_t namesz = 0;
  std::uint32_t descsz = 0;
  std::uint32_t type = 0;
  bool kmlMarker = false; // name "KML\0" (n_namesz 4), type NT_KML_MARKER
};
std::vector<NoteRef> findNotes(std::span<const std::byte> bytes);

// File offset of the section header of the section called `name`, when
// the file has readable 64-bit section headers and such a section.
std::optional<std::uint64_t> findSectionHeader(std::span<const std::byte> bytes,
                                               std::string_view name);

// The bytes of a KML marker note: header, "KML\0", a descriptor of
// `descsz` bytes (version and flags as far as they fit, the rest zero),
// padded to `align` (4 or 8).
std::vector<std::byte> markerNote(std::uint32_t version, std::uint32_t flags,
                                  std::uint32_t descsz, unsigned align = 4);

} // namespace kml::fuzz
