#pragma once
// What the marker subcommands (mark, enable, disable, bypass, inspect)
// share: loading the input, changing a flag in place, and turning a
// refusal into a message and exit code.

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/marker_edit.hpp"

#include <sys/types.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace kml {

// The exit code for each kind of refusal (see docs/marker.md):
// malformed data 65, unreadable input 66, write failure 74, a well-formed
// file that kml will not handle 1.
int exitCodeFor(ElfErrorKind kind);

// Prints "kml <command>: <file>: <message>" to stderr and returns the exit
// code for the error.
int reportError(std::string_view command, std::string_view file,
                const ElfError &error);

// Prints "kml <command>: <message>" and the usage line; returns kExitUsage.
int usageError(std::string_view command, std::string_view message,
               std::string_view usage);

// Writes bytes to target atomically with the given mode; on failure
// reports it and returns its exit code.
int writeOutput(std::string_view command, const std::string &target,
                std::span<const std::byte> bytes, mode_t mode);

// Reads and validates `file`. Throws ElfError.
ElfImage loadImage(std::string_view file,
                   Accept accept = Accept::StaticPrograms);

// Applies `change` to the flags of `file`'s existing marker, in place and
// atomically; a file already in the asked state is not rewritten. Reports
// any refusal and returns the exit code.
int changeMarkerFlags(std::string_view command, const std::string &file,
                      FlagChange change);

} // namespace kml
