#pragma once
// The checks kml.ko makes at exec around a program's signature, for
// `kml verify`: before it (loader/exec.c) the program must be static and
// its code neither writable nor anonymous; after it (loader/gate.c) a
// bypass the marker asks for needs the manifest's approval, and code may
// lie only in the pages the signature covers.

#include "kml/elf_image.hpp"
#include "kml/gate/manifest.hpp"
#include "kml/gate/reasons.hpp"

#include <cstdint>

namespace kml {

// The kernel's /sys/kernel/kml/allow_bypass.
struct ExecPolicy {
  bool allowBypass = true;
};

// Whether exec asks kml.ko about the program at all: its marker says ring
// 0, or is one exec refuses. (A dynamic program never gets an ElfImage:
// its constructor throws ElfError(Dynamic), which is the refusal.)
bool gatedAtExec(const ElfImage &image);

// A marker exec refuses, then anonymous-exec: what refuses a gated
// program before its signature is read.
gate::GateVerdict checkExecImage(const ElfImage &image);

// bypass-not-allowed, then unapproved-mapping, for a program whose
// appended signature approved entry.
gate::GateVerdict checkExecApproval(const ElfImage &image,
                                    const gate::ManifestEntry &entry,
                                    const ExecPolicy &policy);

} // namespace kml
