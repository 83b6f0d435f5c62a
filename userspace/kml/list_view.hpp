#pragma once
// What `kml inspect` shows of an approval list: its entries and generation,
// read, not verified (inspect trusts no key; `kml verify --list` checks).

#include "kml/gate/manifest.hpp"

#include <cstddef>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace kml {

struct ListFacts {
  std::size_t size = 0; // of the list file
  std::string signer;
  gate::Manifest list;
};

// The list in file. Throws gate::GateError when file is not one: not a
// PKCS#7 message of the format, or content that kml_approvals_check()
// refuses.
ListFacts readListFacts(std::span<const std::byte> file);

void printListText(std::ostream &out, std::string_view name,
                   const ListFacts &facts);
void printListJson(std::ostream &out, std::string_view name,
                   const ListFacts &facts);

} // namespace kml
