#pragma once
// Message building without <format> (libstdc++ 12, Debian 12's default,
// does not ship it): cat() joins anything streamable, Hex prints 0x....

#include <cstdint>
#include <ios>
#include <ostream>
#include <sstream>
#include <string>

namespace kml {

struct Hex {
  std::uint64_t value;
};

inline std::ostream &operator<<(std::ostream &out, Hex hex) {
  const auto flags = out.flags();
  out << "0x" << std::hex << hex.value;
  out.flags(flags);
  return out;
}

template <class... Parts> std::string cat(const Parts &...parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

} // namespace kml
