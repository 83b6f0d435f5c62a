#pragma once
// kml sign --list OUT FILE...: an approval list of whole, unmodified ELF
// files (linux/kml_manifest.h), signed with `kml sign`'s key choice and
// written as `kml sign` writes its output.

#include "program_signing.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace kml {

struct ListSignRequest {
  std::string output;
  std::vector<std::string> files;        // roles from their ELF headers
  std::vector<std::string> interpreters; // named dynamic loaders
  KeyChoice key;
  std::uint64_t generation = 1;
  bool bypass = false;
};

// Makes the list, writes it atomically and prints a summary on stdout;
// returns the exit code (a refused input leaves nothing written).
int signApprovalListFiles(const ListSignRequest &request);

} // namespace kml
