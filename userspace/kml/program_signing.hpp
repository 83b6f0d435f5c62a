#pragma once
// What `kml sign` and `kml build` share: choosing the signing key on the
// command line and appending a signed one-entry manifest to a program
// (docs/gate.md).

#include "arg_cursor.hpp"
#include "sign_evidence.hpp"

#include "kml/gate/certificate.hpp"
#include "kml/gate/manifest.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kml {

// --key-name NAME | --key KEY.pem --cert CERT.pem, and --key-dir DIR.
struct KeyChoice {
  std::optional<std::string> name;
  std::optional<std::string> keyFile;
  std::optional<std::string> certFile;
  std::optional<std::string> dir;

  // Takes one key option at the cursor; false when it is not one.
  bool take(ArgCursor &cursor);
  // Throws UsageProblem for options that do not go together.
  void check() const;
};

// The chosen key, else the development key "default", made on first use
// (said on stderr as "kml COMMAND: created ..."). Throws gate::GateError.
gate::SigningKey loadSigningKey(const KeyChoice &choice,
                                std::string_view command);

// What the manifest approves.
struct Approval {
  gate::Assurance assurance = gate::Assurance::Trusted;
  std::uint64_t generation = 1;
  bool bypass = false;
  Evidence evidence;
};

// program with a signed manifest appended that approves exactly these
// bytes (digest is their SHA-256) for ring 0, as `role`: a program (or
// the loader `kml run` starts as one) may be exec'd, a library only
// mapped. Throws gate::GateError.
std::vector<std::byte> signProgram(std::span<const std::byte> program,
                                   const gate::Digest &digest,
                                   const Approval &approval,
                                   const gate::SigningKey &key,
                                   gate::Role role = gate::Role::Program);

} // namespace kml
