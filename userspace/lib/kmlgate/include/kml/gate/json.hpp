#pragma once
// Just enough JSON to read kml-verify's attestation and a compilation
// database (`kml build -p`): a strict parser of RFC 8259 text into a tree.
// Numbers keep their text; \u escapes become UTF-8.

#include <string>
#include <string_view>
#include <vector>

namespace kml::gate {

struct JsonMember;

struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  std::string text; // a string's value, or a number's digits
  std::vector<JsonValue> items;
  // An object's members, in their order. Not pairs: a std::pair of the
  // JsonValue being defined is an incomplete type that Clang's checks of
  // libstdc++'s vector refuse; a struct declared ahead is not.
  std::vector<JsonMember> members;

  // The member called name of an object, or nullptr.
  [[nodiscard]] const JsonValue *member(std::string_view name) const;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

// Throws GateError("invalid JSON at byte N: ...").
JsonValue parseJson(std::string_view text);

} // namespace kml::gate
