#pragma once
// A JSON string literal for the --json outputs that kml writes itself.

#include <string>
#include <string_view>
#include <vector>

namespace kml {

// text quoted and escaped as RFC 8259 requires (control characters as
// \u00XX).
std::string jsonString(std::string_view text);

// ["a", "b"]: the strings as a JSON array.
std::string jsonStringArray(const std::vector<std::string> &items);

} // namespace kml
