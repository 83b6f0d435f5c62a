#include "list_view.hpp"

#include "json_text.hpp"
#include "name_list.hpp"

#include "kml/gate/approval_list.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/gate_error.hpp"

#include <iomanip>
#include <variant>

namespace kml {
namespace {

// Enough of a digest to tell entries apart by eye and to find one with
// grep; --json has all of it.
constexpr std::size_t kDigestShown = 16;

} // namespace

ListFacts readListFacts(std::span<const std::byte> file) {
  auto content = gate::readContent(file);
  if (const auto *problem = std::get_if<std::string>(&content)) {
    throw gate::GateError("not an approval list: " + *problem);
  }
  auto &unverified = std::get<gate::UnverifiedContent>(content);
  auto decoded = gate::decodeApprovalList(unverified.content);
  if (const auto *error = std::get_if<kml_manifest_error>(&decoded)) {
    throw gate::GateError("not an approval list: " +
                          std::string(gate::manifestErrorText(*error)));
  }
  return {file.size(), std::move(unverified.signer),
          std::get<gate::Manifest>(std::move(decoded))};
}

void printListText(std::ostream &out, std::string_view name,
                   const ListFacts &facts) {
  const gate::Manifest &list = facts.list;
  out << name << ": approval list (not checked: see kml verify --list)\n"
      << "  signer:     " << facts.signer << "\n"
      << "  generation: " << list.generation << "\n"
      << "  size:       " << facts.size << " bytes\n"
      << "  entries:    " << list.entries.size() << "\n"
      << "    " << std::left << std::setw(kDigestShown + 2) << "sha256"
      << std::right << std::setw(12) << "length"
      << "  " << std::left << std::setw(13) << "role" << std::setw(11)
      << "assurance"
      << "flags\n";
  for (const gate::ManifestEntry &entry : list.entries) {
    out << "    " << std::setw(kDigestShown + 2)
        << gate::hexDigits(entry.digest).substr(0, kDigestShown) << std::right
        << std::setw(12) << entry.length << "  " << std::left << std::setw(13)
        << gate::roleName(entry.role) << std::setw(11)
        << gate::assuranceName(entry.assurance)
        << joinNames(gate::manifestFlagNames(entry.flags), ",") << "\n";
  }
  out << std::right;
}

void printListJson(std::ostream &out, std::string_view name,
                   const ListFacts &facts) {
  const gate::Manifest &list = facts.list;
  out << "{\"file\": " << jsonString(name)
      << R"(, "approval_list": true, "size": )" << facts.size
      << ", \"signer\": " << jsonString(facts.signer)
      << ", \"generation\": " << list.generation << ", \"entries\": [";
  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    const gate::ManifestEntry &entry = list.entries[i];
    out << (i != 0 ? ", " : "")
        << "{\"sha256\": " << jsonString(gate::hexDigits(entry.digest))
        << ", \"length\": " << entry.length
        << ", \"role\": " << jsonString(gate::roleName(entry.role))
        << ", \"assurance\": "
        << jsonString(gate::assuranceName(entry.assurance))
        << ", \"flags\": " << entry.flags << ", \"flag_names\": "
        << jsonStringArray(gate::manifestFlagNames(entry.flags)) << "}";
  }
  out << "]}\n";
}

} // namespace kml
