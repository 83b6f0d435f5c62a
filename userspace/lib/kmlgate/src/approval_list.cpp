#include "kml/gate/approval_list.hpp"

#include "kml/gate/cms.hpp"
#include "kml/gate/gate_error.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace kml::gate {
namespace {

constexpr auto kMaxListLen = static_cast<std::size_t>(KML_APPROVALS_MAX_LEN);

std::string maxLenText() {
  return std::to_string(kMaxListLen) + " bytes (KML_APPROVALS_MAX_LEN)";
}

GateVerdict refuse(GateReason reason, std::string detail) {
  return GateVerdict::refuse(reason, std::move(detail));
}

} // namespace

std::optional<std::string> ApprovalListBuilder::add(ListedFile file) {
  const auto [it, inserted] = files_.try_emplace(file.digest, file);
  if (inserted) {
    return std::nullopt;
  }
  const ListedFile &earlier = it->second;
  if (earlier.role != file.role) {
    throw GateError(file.name + " has the same bytes as " + earlier.name +
                    ", but is to be approved as " +
                    std::string(roleName(file.role)) + ", not " +
                    std::string(roleName(earlier.role)) +
                    " (an entry has one role)");
  }
  return earlier.name;
}

Manifest ApprovalListBuilder::manifest(const ListApproval &approval) const {
  if (files_.empty() || files_.size() > KML_MANIFEST_MAX_ENTRIES) {
    throw GateError(std::to_string(files_.size()) +
                    " different files: an approval list holds 1 to " +
                    std::to_string(KML_MANIFEST_MAX_ENTRIES));
  }
  Manifest list{approval.generation, {}};
  list.entries.reserve(files_.size());
  // The map is in digest order, the order the format asks for.
  for (const auto &[digest, file] : files_) {
    ManifestEntry entry;
    entry.digest = digest;
    entry.length = file.length;
    entry.role = file.role;
    entry.assurance = Assurance::Trusted;
    entry.flags =
        KML_MANIFEST_F_RING0 | (approval.bypass ? KML_MANIFEST_F_BYPASS : 0U);
    list.entries.push_back(entry);
  }
  return list;
}

std::vector<std::byte> signApprovalList(const Manifest &list,
                                        const SigningKey &key) {
  const std::vector<std::byte> content = encodeManifest(list);
  // What we write must be what the kernel accepts.
  if (const auto error = kml_approvals_check(content.data(), content.size());
      error != KML_MANIFEST_OK) {
    throw GateError("the approval list to sign is not well formed: " +
                    std::string(manifestErrorText(error)));
  }
  std::vector<std::byte> signedList = signContent(content, key);
  if (signedList.size() > kMaxListLen) {
    throw GateError("the signed list would be " +
                    std::to_string(signedList.size()) +
                    " bytes, more than the kernel reads: " + maxLenText());
  }
  return signedList;
}

std::variant<Manifest, kml_manifest_error>
decodeApprovalList(std::span<const std::byte> content) {
  const kml_manifest_error error =
      kml_approvals_check(content.data(), content.size());
  if (error != KML_MANIFEST_OK) {
    return error;
  }
  return decodeManifest(content);
}

GateReport checkApprovalList(std::span<const std::byte> file,
                             std::span<const Certificate> trusted,
                             const GatePolicy &policy) {
  if (file.size() > kMaxListLen) {
    throw GateError(std::to_string(file.size()) +
                    " bytes, more than the kernel reads: " + maxLenText());
  }
  GateReport report = checkSignedManifest(file, trusted, decodeApprovalList);
  if (!report.verdict.allowed()) {
    return report;
  }
  if (!report.manifest) {
    throw std::logic_error("checkSignedManifest allowed a list without its "
                           "manifest");
  }
  report.verdict = checkGeneration(report.manifest->generation, policy);
  return report;
}

ListedFileReport checkListedFile(const Manifest &list,
                                 std::span<const std::byte> file,
                                 const GatePolicy &policy) {
  ListedFileReport report;
  const Digest digest = sha256(file);
  // Sorted by digest, as kml_approvals_check() made sure.
  const auto found = std::ranges::lower_bound(list.entries, digest, {},
                                              &ManifestEntry::digest);
  if (found == list.entries.end() || found->digest != digest) {
    report.verdict =
        refuse(GateReason::UNAPPROVED_MAPPING,
               "SHA-256 " + hexDigits(digest) + " is in no entry of the list");
    return report;
  }
  report.entry = *found;
  if (found->length != file.size()) {
    report.verdict =
        refuse(GateReason::TAMPERED,
               "the entry covers " + std::to_string(found->length) +
                   " bytes, the file has " + std::to_string(file.size()));
    return report;
  }
  report.verdict = checkEntryPolicy(*found, policy);
  return report;
}

} // namespace kml::gate
