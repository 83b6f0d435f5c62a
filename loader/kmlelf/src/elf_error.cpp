#include "kml/elf_error.hpp"

namespace kml {

std::string_view kindName(ElfErrorKind kind) {
  switch (kind) {
  case ElfErrorKind::Unreadable:
    return "unreadable";
  case ElfErrorKind::NotElf:
    return "not-elf";
  case ElfErrorKind::Not64Bit:
    return "not-64-bit";
  case ElfErrorKind::NotX86_64:
    return "not-x86-64";
  case ElfErrorKind::NotExecutable:
    return "not-executable";
  case ElfErrorKind::Dynamic:
    return "dynamic";
  case ElfErrorKind::Malformed:
    return "malformed";
  case ElfErrorKind::NewerMarker:
    return "newer-marker";
  case ElfErrorKind::NoMarker:
    return "no-marker";
  case ElfErrorKind::WriteFailed:
    return "write-failed";
  }
  return "unknown";
}

} // namespace kml
