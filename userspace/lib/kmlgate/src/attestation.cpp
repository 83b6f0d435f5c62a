#include "kml/gate/attestation.hpp"

#include "kml/gate/gate_error.hpp"
#include "kml/gate/json.hpp"

#include <charconv>

namespace kml::gate {
namespace {

const JsonValue &required(const JsonValue &object, std::string_view name,
                          JsonValue::Kind kind) {
  const JsonValue *value = object.member(name);
  if (value == nullptr || value->kind != kind) {
    throw GateError("the attestation has no valid \"" + std::string(name) +
                    "\"");
  }
  return *value;
}

std::uint64_t unsignedNumber(std::string_view text, std::string_view name) {
  std::uint64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw GateError("the attestation's \"" + std::string(name) +
                    "\" is not a whole number: " + std::string(text));
  }
  return value;
}

} // namespace

AttestationSummary readAttestation(std::string_view json) {
  const JsonValue root = parseJson(json);
  if (root.kind != JsonValue::Kind::Object) {
    throw GateError("the attestation is not a JSON object");
  }
  if (required(root, "format", JsonValue::Kind::String).text !=
      "kml-verify-attestation") {
    throw GateError("not a kml-verify attestation (\"format\")");
  }
  if (required(root, "format_version", JsonValue::Kind::Number).text != "1") {
    throw GateError("an attestation format_version this kml does not know");
  }
  AttestationSummary summary;
  summary.passed =
      required(root, "result", JsonValue::Kind::String).text == "pass";
  const std::uint64_t ruleset = unsignedNumber(
      required(root, "ruleset_version", JsonValue::Kind::String).text,
      "ruleset_version");
  if (ruleset > UINT32_MAX) {
    throw GateError("the attestation's ruleset_version is out of range");
  }
  summary.rulesetVersion = static_cast<std::uint32_t>(ruleset);
  summary.translationUnits =
      required(root, "translation_units", JsonValue::Kind::Array).items.size();
  if (const JsonValue *binary = root.member("binary")) {
    if (binary->kind != JsonValue::Kind::Object) {
      throw GateError("the attestation's \"binary\" is not an object");
    }
    summary.binarySha256 =
        required(*binary, "sha256", JsonValue::Kind::String).text;
    summary.binaryFindings = unsignedNumber(
        required(*binary, "findings", JsonValue::Kind::Number).text,
        "findings");
  }
  return summary;
}

} // namespace kml::gate
