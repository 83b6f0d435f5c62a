#pragma once
// Builds the whole explanation of one program: every system-call site as
// the rewriter's analysis finds it, shown before and after the rewrite
// (the file's own, or one made in memory), and the program's verdict.

#include "explain_model.hpp"

#include "kml/elf_image.hpp"
#include "kml/gate/certificate.hpp"

#include <cstddef>
#include <span>
#include <string>

namespace kml {

struct ExplainInputs {
  std::string file;
  KernelPolicy policy;
  std::span<const gate::Certificate> trusted;
  std::string trustedFrom;
};

// Throws ElfError when the rewriter will not handle the file, and
// gate::GateError when a signature cannot be checked at all.
ProgramExplanation explainProgram(const ElfImage &image,
                                  const ExplainInputs &inputs);

// A program with PT_INTERP: its interpreter and its own `syscall`s.
// Throws ElfError when the file is not a loadable x86-64 ELF file.
DynamicProgramExplanation
explainDynamicProgram(std::string file, std::span<const std::byte> bytes);

} // namespace kml
