#pragma once
// SHA-256 through OpenSSL's EVP interface, and digests as hex text.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace kml::gate {

using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::span<const std::byte> bytes);

// Lower-case hex, two digits a byte, no separators.
std::string hexDigits(std::span<const std::uint8_t> bytes);

} // namespace kml::gate
