#include "marker_cli.hpp"

#include "command.hpp"
#include "kml/file_io.hpp"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

namespace kml {

int exitCodeFor(ElfErrorKind kind) {
  switch (kind) {
  case ElfErrorKind::Unreadable:
    return kExitNoInput;
  case ElfErrorKind::NotElf:
  case ElfErrorKind::Malformed:
    return kExitDataErr;
  case ElfErrorKind::WriteFailed:
    return kExitIoErr;
  case ElfErrorKind::Not64Bit:
  case ElfErrorKind::NotX86_64:
  case ElfErrorKind::NotExecutable:
  case ElfErrorKind::Dynamic:
  case ElfErrorKind::NewerMarker:
  case ElfErrorKind::NoMarker:
    return kExitFailure;
  }
  return kExitFailure;
}

int reportError(std::string_view command, std::string_view file,
                const ElfError &error) {
  std::cerr << "kml " << command << ": " << file << ": " << error.what()
            << "\n";
  return exitCodeFor(error.kind());
}

int usageError(std::string_view command, std::string_view message,
               std::string_view usage) {
  std::cerr << "kml " << command << ": " << message << "\nusage: kml " << usage
            << "\n";
  return kExitUsage;
}

int writeOutput(std::string_view command, const std::string &target,
                std::span<const std::byte> bytes, mode_t mode) {
  try {
    writeFileAtomically(target, bytes, mode);
  } catch (const ElfError &error) {
    return reportError(command, target, error);
  }
  return kExitOk;
}

ElfImage loadImage(std::string_view file, Accept accept) {
  return ElfImage(readWholeFile(std::string(file)), accept);
}

int changeMarkerFlags(std::string_view command, const std::string &file,
                      FlagChange change) {
  std::vector<std::byte> bytes;
  bool unchanged = false;
  mode_t mode = 0;
  try {
    const ElfImage image = loadImage(file);
    mode = fileMode(file);
    bytes = withMarkerFlags(image, change);
    unchanged = std::ranges::equal(bytes, image.bytes());
  } catch (const ElfError &error) {
    return reportError(command, file, error);
  }
  // Already in the asked state: nothing to write (no new inode, no write
  // permission needed).
  if (unchanged) {
    return kExitOk;
  }
  return writeOutput(command, file, bytes, mode);
}

} // namespace kml
