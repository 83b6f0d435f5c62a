#pragma once
// The one screen `kml build` prints when it has written a signed program:
// what was checked, what the rewriter did, and what vouches for the file.

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>

namespace kml {

struct BuildSummary {
  std::string output;                           // as the user named it
  std::size_t translationUnits = 0;             // in kml-verify's attestation
  std::size_t rules = 0;                        // kml-verify --list-rules
  std::uint32_t rulesetVersion = 0;             // in the attestation
  std::size_t findings = 0;                     // source and binary
  std::size_t sitesRewritten = 0;               // syscall sites
  std::map<std::string, std::size_t> sitesLeft; // by reason
  std::size_t haltsReplaced = 0;                // hlt made a trap (0x06)
  std::size_t haltsLeft = 0;                    // (the validator refuses)
  std::size_t programBytes = 0;                 // the bytes the manifest covers
  std::size_t fileBytes = 0;                    // with the signature
  std::string assurance;
  std::string attestationSha256;
  bool bypass = false;
  std::string keySubject;
};

void printSummary(std::ostream &out, const BuildSummary &summary);

} // namespace kml
