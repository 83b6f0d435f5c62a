#include "approval_role.hpp"

#include "kml/elf_error.hpp"

#include <string>

namespace kml {

gate::Role approvalRole(const ElfLayout &layout) {
  if (layout.header().e_type == ET_EXEC) {
    return gate::Role::Program;
  }
  // glibc's libc.so.6 has a PT_INTERP (it runs, to print its version) and
  // is a library all the same: PT_INTERP alone does not make a program,
  // the linker's PIE flag does. ld.so has neither.
  const auto flags1 = layout.dynamicValue(DT_FLAGS_1);
  const bool pie = flags1 && (*flags1 & DF_1_PIE) != 0;
  const std::optional<std::string> soname = layout.soname();
  if (pie || (layout.hasInterpreter() && !soname)) {
    return gate::Role::Program;
  }
  if (!layout.hasInterpreter() && soname &&
      (soname->starts_with("ld-linux") || soname->starts_with("ld64"))) {
    return gate::Role::Interpreter;
  }
  return gate::Role::Library;
}

gate::Role interpreterRole(const ElfLayout &layout) {
  if (layout.hasInterpreter()) {
    throw ElfError(ElfErrorKind::NotExecutable,
                   "it has a PT_INTERP: a dynamic loader needs no loader "
                   "itself");
  }
  return gate::Role::Interpreter;
}

} // namespace kml
