#pragma once
// Describing appended bytes as sections. kml's tools add segments at the
// end of a file (`kml mark`'s note, the rewriter's stubs and slots). The
// kernel reads only program headers, but binutils (strip, objcopy) keep
// only what sections describe, and a file whose added segment no section
// covers comes out of them broken. So the tools also append a new section
// header table naming the added bytes.

#include <elf.h>

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace kml {

// A section to add: its name, and its header (whose sh_name is filled in).
struct AddedSection {
  std::string_view name;
  Elf64_Shdr header{};
};

// Appends to `bytes` a copy of the section name table with the added
// names and a new section header table (the old entries, then `added`),
// and points `ehdr` (the file's header, written back by the caller) at
// them. The old tables stay where they were, unreferenced, so no existing
// byte moves. Best effort: when the file has no usable section header
// table or name table (stripped of them, or damaged) it returns false and
// changes nothing; the file loads the same without.
bool appendSections(std::vector<std::byte> &bytes, Elf64_Ehdr &ehdr,
                    std::span<const AddedSection> added);

} // namespace kml
