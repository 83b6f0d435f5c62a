#pragma once
// The checks every loadable x86-64 ELF file passes, whatever it is (a
// static or dynamic program, a shared library, a dynamic loader): ELF64,
// little-endian, x86-64, ET_EXEC or ET_DYN, a program header table and
// segments inside the file, PT_LOAD segments inside the user address
// space. And what its program headers and dynamic section say about what
// it is: PT_INTERP, DT_SONAME, DT_FLAGS_1.
//
// ElfImage (static executables, the marker) builds on it; so does `kml
// sign --list`, which approves unmodified programs and libraries.

#include <elf.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kml {

class ElfLayout {
public:
  // Validates bytes, which must outlive this object (it keeps a view).
  // Throws ElfError.
  explicit ElfLayout(std::span<const std::byte> bytes);

  [[nodiscard]] const Elf64_Ehdr &header() const { return header_; }
  [[nodiscard]] std::span<const Elf64_Phdr> programHeaders() const {
    return phdrs_;
  }

  // Whether a PT_INTERP names a dynamic loader.
  [[nodiscard]] bool hasInterpreter() const;
  // The entries of each PT_DYNAMIC up to its DT_NULL (a well-formed file
  // has one PT_DYNAMIC; all are read so that none can hide an entry).
  [[nodiscard]] std::vector<Elf64_Dyn> dynamicEntries() const;
  // The value of the first dynamic entry with this tag.
  [[nodiscard]] std::optional<std::uint64_t>
  dynamicValue(std::int64_t tag) const;
  // DT_SONAME, read from DT_STRTAB through the PT_LOAD segments (a
  // stripped file has no section headers to help). Throws
  // ElfError(Malformed) when it points outside the file.
  [[nodiscard]] std::optional<std::string> soname() const;

private:
  void checkIdentity();
  void readProgramHeaders();
  void checkSegments() const;
  [[nodiscard]] std::optional<std::uint64_t>
  fileOffsetOf(std::uint64_t address) const;

  std::span<const std::byte> bytes_;
  Elf64_Ehdr header_{};
  std::vector<Elf64_Phdr> phdrs_;
};

} // namespace kml
