#pragma once
// An in-memory copy of a static x86-64 ELF executable (or, where asked
// for, a shared object: a dynamic loader or a library), validated once on
// construction, and the KML marker found in it (if any).

#include "kml/elf_layout.hpp"

#include <linux/kml_note.h>

#include <elf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kml {

// "PT_LOAD", "PT_NOTE", ... or "type 0x...", for messages.
std::string segmentTypeName(std::uint32_t type);

// Where the marker sits and what it says. Offsets are file offsets.
struct MarkerInfo {
  std::size_t segmentIndex = 0; // index of the PT_NOTE program header
  std::uint64_t segmentOffset = 0;
  std::uint64_t segmentSize = 0;
  std::uint64_t noteOffset = 0; // the Elf64_Nhdr
  std::uint64_t descOffset = 0; // the struct kml_note
  std::uint32_t descSize = 0;   // n_descsz, may differ from sizeof
  struct kml_note desc = {};    // first min(descSize, sizeof) bytes

  // What a kernel following the UAPI rule would do with this marker.
  [[nodiscard]] enum kml_note_verdict verdict() const {
    return kml_note_decide(&desc, descSize);
  }
  [[nodiscard]] bool enabled() const {
    return (desc.flags & KML_NOTE_F_ENABLE) != 0;
  }
  // A version this tool can rewrite without losing meaning.
  [[nodiscard]] bool versionKnown() const {
    return desc.version >= 1 && desc.version <= KML_NOTE_VERSION;
  }
};

// What a loadable file is, as far as kml is concerned.
enum class ImageKind {
  StaticProgram, // ET_EXEC, or ET_DYN without PT_INTERP or DT_SONAME
  Loader,        // a dynamic loader: DT_SONAME ld-linux* or ld64*, no
                 // PT_INTERP (glibc's ld.so, run as `ld.so PROGRAM`)
  Library,       // any other object with a DT_SONAME (libc.so.6)
};

// Which kinds a caller handles; every other file is refused as Dynamic.
enum class Accept { StaticPrograms, SharedObjects };

class ElfImage {
public:
  // Validates the bytes as a static x86-64 executable (a loadable ELF
  // file, see ElfLayout, that is ET_EXEC, or ET_DYN without PT_INTERP:
  // static-pie) or, with Accept::SharedObjects, also as a shared object
  // with a DT_SONAME, and finds its marker. A dynamically linked program
  // is always refused. Throws ElfError.
  explicit ElfImage(std::vector<std::byte> bytes,
                    Accept accept = Accept::StaticPrograms);

  [[nodiscard]] std::span<const std::byte> bytes() const { return bytes_; }
  [[nodiscard]] const Elf64_Ehdr &header() const { return header_; }
  [[nodiscard]] std::span<const Elf64_Phdr> programHeaders() const {
    return phdrs_;
  }
  [[nodiscard]] const std::optional<MarkerInfo> &marker() const {
    return marker_;
  }
  [[nodiscard]] ImageKind kind() const { return kind_; }
  // What the constructor accepted, to build an edited copy alike.
  [[nodiscard]] Accept accepted() const {
    return kind_ == ImageKind::StaticProgram ? Accept::StaticPrograms
                                             : Accept::SharedObjects;
  }

private:
  static ImageKind classify(const ElfLayout &layout, Accept accept);
  void findMarker();

  std::vector<std::byte> bytes_;
  Elf64_Ehdr header_{};
  std::vector<Elf64_Phdr> phdrs_;
  std::optional<MarkerInfo> marker_;
  ImageKind kind_ = ImageKind::StaticProgram;
};

} // namespace kml
