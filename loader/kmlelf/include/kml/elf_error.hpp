#pragma once
// Every way a file can be refused by the marker tools. The kind decides the
// exit code; the message says what is wrong in words a user can act on.

#include <stdexcept>
#include <string>
#include <string_view>

namespace kml {

enum class ElfErrorKind {
  Unreadable,    // cannot open or read the input
  NotElf,        // no ELF magic
  Not64Bit,      // ELFCLASS32 (or unknown class)
  NotX86_64,     // e_machine is not EM_X86_64
  NotExecutable, // ET_REL, ET_CORE, a shared library...
  Dynamic,       // has PT_INTERP or needs shared libraries
  Malformed,     // truncated or inconsistent headers
  NewerMarker,   // marker version newer than this tool knows
  NoMarker,      // enable/disable on an unmarked file
  WriteFailed,   // could not write the result
};

// A short stable name for the kind ("not-elf", "malformed", ...), for
// messages and `inspect --json`.
std::string_view kindName(ElfErrorKind kind);

class ElfError : public std::runtime_error {
public:
  ElfError(ElfErrorKind kind, const std::string &message)
      : std::runtime_error(message), kind_(kind) {}
  ElfErrorKind kind() const { return kind_; }

private:
  ElfErrorKind kind_;
};

} // namespace kml
