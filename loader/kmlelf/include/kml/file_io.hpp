#pragma once
// Reading an input file whole, and replacing an output file atomically.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <span>
#include <vector>

namespace kml {

// The whole file. Throws ElfError(Unreadable).
std::vector<std::byte> readWholeFile(const std::filesystem::path &path);

// The permission bits (including setuid/setgid/sticky) of an existing file.
// Throws ElfError(Unreadable).
mode_t fileMode(const std::filesystem::path &path);

// Replaces (or creates) target with exactly `bytes` and permission bits
// `mode`, so that a reader sees either the old file or the new one, never
// a mix: the data goes to a temporary file in the same directory, is
// fsync'd, then renamed over target, and the directory is fsync'd so the
// rename survives a crash. On any failure target is untouched and the
// temporary file is removed. Throws ElfError(WriteFailed).
void writeFileAtomically(const std::filesystem::path &target,
                         std::span<const std::byte> bytes, mode_t mode);

} // namespace kml
