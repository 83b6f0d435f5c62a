#pragma once
// Which role an unmodified ELF file has in an approval list
// (linux/kml_manifest.h): what the kernel will see it as, a program it
// execs, the dynamic loader it maps for one, or a library mapped later.

#include "kml/elf_layout.hpp"
#include "kml/gate/manifest.hpp"

namespace kml {

// PROGRAM: ET_EXEC; ET_DYN marked DF_1_PIE (a PIE, dynamic or static);
// ET_DYN with PT_INTERP and no DT_SONAME (a PIE from a linker too old to
// mark it). INTERPRETER: ET_DYN without PT_INTERP whose DT_SONAME starts
// with "ld-linux" or "ld64". LIBRARY: every other ET_DYN. Throws ElfError.
gate::Role approvalRole(const ElfLayout &layout);

// For a file the administrator names as a dynamic loader (musl's libc.so
// is its own): any loadable file that needs no loader itself. Throws
// ElfError(NotExecutable) for one with PT_INTERP.
gate::Role interpreterRole(const ElfLayout &layout);

} // namespace kml
