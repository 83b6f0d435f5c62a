#pragma once
// Approval lists (loader/uapi/linux/kml_manifest.h): a signed manifest, in
// a file of its own, of whole files that must stay unmodified. Making one
// (`kml sign --list`), and kml.ko's check of one and of a file against it
// in userspace (`kml verify --list`).

#include "kml/gate/certificate.hpp"
#include "kml/gate/gate_check.hpp"
#include "kml/gate/manifest.hpp"
#include "kml/gate/reasons.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace kml::gate {

// A file to approve, as its entry will see it.
struct ListedFile {
  std::string name; // as the user named it, for messages
  Digest digest{};  // SHA-256 of the whole file
  std::uint64_t length = 0;
  Role role = Role::Library;
};

// What every entry of a list approves.
struct ListApproval {
  std::uint64_t generation = 1;
  bool bypass = false;
};

// Collects the files of a list: one entry per content, in digest order.
class ApprovalListBuilder {
public:
  // Adds file. When the same bytes were added before, nothing is added
  // and the name of the file that has them is returned: two paths of one
  // content are one entry. Throws GateError when the same bytes come with
  // another role (an entry has one).
  std::optional<std::string> add(ListedFile file);

  [[nodiscard]] std::size_t size() const { return files_.size(); }

  // The manifest: an entry per content, sorted by digest, RING0 (and
  // BYPASS), trusted, no rule set or attestation. Throws GateError for no
  // files or more than KML_MANIFEST_MAX_ENTRIES.
  [[nodiscard]] Manifest manifest(const ListApproval &approval) const;

private:
  std::map<Digest, ListedFile> files_; // std::array orders as memcmp
};

// The list file: the manifest signed as a program's is. Throws GateError,
// also when the result is over KML_APPROVALS_MAX_LEN.
std::vector<std::byte> signApprovalList(const Manifest &list,
                                        const SigningKey &key);

// The manifest of a list's signed content, or why kml_approvals_check()
// refuses it.
std::variant<Manifest, kml_manifest_error>
decodeApprovalList(std::span<const std::byte> content);

// The check kml.ko makes when a list is loaded: the signature
// (bad-signature, unknown-key), the content (bad-manifest), the
// generation (stale-generation); the report's manifest is the list.
// Throws GateError when file is larger than KML_APPROVALS_MAX_LEN, which
// the kernel does not read.
GateReport checkApprovalList(std::span<const std::byte> file,
                             std::span<const Certificate> trusted,
                             const GatePolicy &policy);

struct ListedFileReport {
  GateVerdict verdict = GateVerdict::allow();
  std::optional<ManifestEntry> entry; // the entry of the file's bytes
};

// A file against a checked list, as kml.ko checks a mapping: its whole
// bytes' digest in an entry (else unapproved-mapping), the entry's length
// (tampered), then the entry's assurance and RING0 flag.
ListedFileReport checkListedFile(const Manifest &list,
                                 std::span<const std::byte> file,
                                 const GatePolicy &policy);

} // namespace kml::gate
