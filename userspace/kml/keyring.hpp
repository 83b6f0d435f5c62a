#pragma once
// Kernel keyrings for `kml key enroll`: finding a keyring by its
// description in /proc/keys and adding a certificate to it with add_key(2).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace kml {

// The serial of the keyring described as description in text, the
// contents of /proc/keys.
std::optional<std::int32_t> findKeyring(std::string_view procKeys,
                                        std::string_view description);

// Adds the DER certificate to the keyring named by description, as key
// type "asymmetric" with the description the kernel derives from it.
// Returns the new key's serial. Throws gate::GateError with what went
// wrong: no such keyring, no /proc/keys, or the kernel's refusal.
std::int32_t enrollCertificate(std::span<const std::byte> der,
                               std::string_view keyring);

} // namespace kml
