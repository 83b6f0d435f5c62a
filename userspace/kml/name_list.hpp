#pragma once
// Names in one line of text, as the commands print flags and roles.

#include <string>
#include <string_view>
#include <vector>

namespace kml {

// "a, b" (or with another separator); "none" for no names.
inline std::string joinNames(const std::vector<std::string> &names,
                             std::string_view separator = ", ") {
  std::string text;
  for (const std::string &name : names) {
    if (!text.empty()) {
      text += separator;
    }
    text += name;
  }
  return text.empty() ? "none" : text;
}

} // namespace kml
