#pragma once
// What `kml inspect` shows of an appended signature: read, not verified
// (inspect trusts no key; `kml verify` does the check).

#include "kml/gate/manifest.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace kml {

struct SignatureFacts {
  enum class State {
    None,      // no trailer
    Malformed, // a trailer, but no readable signed manifest behind it
    Present,   // a signed manifest (signature not checked)
  };
  State state = State::None;
  std::string problem; // for Malformed
  std::size_t pkcs7Offset = 0;
  std::size_t pkcs7Size = 0;
  std::string signer;
  std::optional<gate::Manifest> manifest;
  // Of the manifest's first entry against the file.
  bool lengthMatches = false;
  bool digestMatches = false;
};

SignatureFacts readSignatureFacts(std::span<const std::byte> file);

} // namespace kml
