#include "json_text.hpp"

namespace kml {

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr std::string_view kHex = "0123456789abcdef";
        out += "\\u00";
        out += kHex[(c >> 4) & 0xf];
        out += kHex[c & 0xf];
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

std::string jsonStringArray(const std::vector<std::string> &items) {
  std::string out = "[";
  for (const std::string &item : items) {
    out += (out.size() > 1 ? ", " : "") + jsonString(item);
  }
  return out + "]";
}

} // namespace kml
