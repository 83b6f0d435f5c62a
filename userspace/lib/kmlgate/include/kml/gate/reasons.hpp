#pragma once
// The gate's refusal reasons, generated from the table in
// loader/uapi/linux/kml_gate_reasons.h so that the tools print exactly the
// kernel's words; and GateVerdict, the answer of a check.

#include <linux/kml_gate.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kml::gate {

enum class GateReason {
#define KML_GATE_REASON(id, ...) id = KML_GATE_##id,
#include <linux/kml_gate_reasons.h>
#undef KML_GATE_REASON
};

struct ReasonInfo {
  GateReason reason;
  std::string_view name; // "bad-signature"
  int errnoValue;        // what the kernel's refused system call returns
  std::string_view text; // one line for people
};

// Every reason, in the header's order.
std::span<const ReasonInfo> allReasons();
const ReasonInfo &reasonInfo(GateReason reason);
std::optional<GateReason> reasonByName(std::string_view name);

// Allowed, or refused with one reason and a detail that says what exactly
// (an offset, two digests, OpenSSL's words).
class GateVerdict {
public:
  static GateVerdict allow() { return {std::nullopt, {}}; }
  static GateVerdict refuse(GateReason reason, std::string detail) {
    return {reason, std::move(detail)};
  }

  [[nodiscard]] bool allowed() const { return !reason_; }
  // The reason of a refusal; empty when allowed.
  [[nodiscard]] std::optional<GateReason> reason() const { return reason_; }
  [[nodiscard]] const std::string &detail() const { return detail_; }
  // "<name>: <text> (<detail>)" for a refusal, "allowed" otherwise.
  [[nodiscard]] std::string describe() const;

private:
  GateVerdict(std::optional<GateReason> reason, std::string detail)
      : reason_(reason), detail_(std::move(detail)) {}
  std::optional<GateReason> reason_;
  std::string detail_;
};

} // namespace kml::gate
