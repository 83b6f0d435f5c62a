#pragma once
// The summary `kml sign --list` prints: one screen however long the list.

#include "kml/gate/manifest.hpp"

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace kml {

// A file left out because an earlier one has the same bytes.
struct MergedFile {
  std::string file;
  std::string sameAs;
};

struct ListSummary {
  std::string output;
  gate::Manifest list;
  std::vector<MergedFile> merged;
  std::string signer;
  std::size_t size = 0; // of the signed list file
};

void printListSummary(std::ostream &out, const ListSummary &summary);

} // namespace kml
