#pragma once
// RAII for libelf descriptors: elf_end() runs however parsing exits.

#include <libelf.h>

#include <memory>

namespace kml::detail {

struct ElfEnd {
  void operator()(Elf *elf) const noexcept { elf_end(elf); }
};
using ElfHandle = std::unique_ptr<Elf, ElfEnd>;

// libelf refuses to work until the client states its ELF version; doing it
// once here keeps every caller from having to remember.
inline bool libelfReady() {
  static const bool ready = elf_version(EV_CURRENT) != EV_NONE;
  return ready;
}

// libelf's message for its last error. elf_errmsg() returns NULL when
// libelf recorded none (elf_kind() saying "not ELF" is not an error), and
// a null char * must never reach a stream.
inline const char *libelfMessage() {
  const char *message = elf_errmsg(elf_errno());
  return message != nullptr ? message : "no details from libelf";
}

} // namespace kml::detail
