// File modes for the tests, by their bits' names. fs::perms(0755), a cast
// from a number, gives the enum a value it does not name, which
// clang-analyzer's EnumCastOutOfRange reports; these say the same.
#pragma once

#include <filesystem>

namespace kml::testing {

inline constexpr std::filesystem::perms kMode0444 =
    std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
    std::filesystem::perms::others_read;
inline constexpr std::filesystem::perms kMode0555 =
    kMode0444 | std::filesystem::perms::owner_exec |
    std::filesystem::perms::group_exec | std::filesystem::perms::others_exec;
inline constexpr std::filesystem::perms kMode0644 =
    kMode0444 | std::filesystem::perms::owner_write;
inline constexpr std::filesystem::perms kMode0755 =
    kMode0555 | std::filesystem::perms::owner_write;
inline constexpr std::filesystem::perms kMode0750 =
    std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
    std::filesystem::perms::group_exec;

} // namespace kml::testing
