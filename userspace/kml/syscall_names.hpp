#pragma once
// The names of x86-64 system calls by number ("write" for 1), from the
// kernel headers this kml was built with (generated at configure time,
// syscall_names.cmake).

#include <cstdint>
#include <optional>
#include <string_view>

namespace kml {

// The name of system call `number`, or nothing for a number the headers
// do not know (a newer kernel's call, or no call at all).
std::optional<std::string_view> syscallName(std::uint32_t number);

} // namespace kml
