#include "kml/gate/gate_error.hpp"

#include <openssl/err.h>

#include <array>

namespace kml::gate {

std::string opensslErrors() {
  std::string text;
  for (unsigned long code = ERR_get_error(); code != 0;
       code = ERR_get_error()) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(code, buffer.data(), buffer.size());
    if (!text.empty()) {
      text += "; ";
    }
    text += buffer.data();
  }
  return text.empty() ? "no detail from OpenSSL" : text;
}

void throwOpenSslError(const std::string &what) {
  throw GateError(what + ": " + opensslErrors());
}

} // namespace kml::gate
