#pragma once
// A failure of the gate library that is not a verdict: a key that cannot
// be read, OpenSSL refusing to sign, malformed JSON. Verdicts about a file
// (refused, and why) are GateVerdict values, never exceptions.

#include <stdexcept>
#include <string>

namespace kml::gate {

class GateError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// What OpenSSL's error queue says (and empties it), e.g. "error:...:bad
// decrypt"; "no detail from OpenSSL" when it says nothing.
std::string opensslErrors();

// Throws GateError("<what>: <opensslErrors()>").
[[noreturn]] void throwOpenSslError(const std::string &what);

} // namespace kml::gate
