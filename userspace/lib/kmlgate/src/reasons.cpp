#include "kml/gate/reasons.hpp"

#include <algorithm>
#include <array>
#include <cerrno>

namespace kml::gate {

std::span<const ReasonInfo> allReasons() {
  static constexpr std::array kReasons{
#define KML_GATE_REASON(id, name, err, what)                                   \
  ReasonInfo{GateReason::id, name, err, what},
#include <linux/kml_gate_reasons.h>
#undef KML_GATE_REASON
  };
  return kReasons;
}

const ReasonInfo &reasonInfo(GateReason reason) {
  const auto reasons = allReasons();
  const auto found = std::ranges::find(reasons, reason, &ReasonInfo::reason);
  // Every enumerator comes from the same table, so it is always there.
  return found != reasons.end() ? *found : reasons.front();
}

std::optional<GateReason> reasonByName(std::string_view name) {
  const auto reasons = allReasons();
  const auto found = std::ranges::find(reasons, name, &ReasonInfo::name);
  if (found == reasons.end()) {
    return std::nullopt;
  }
  return found->reason;
}

std::string GateVerdict::describe() const {
  if (!reason_) {
    return "allowed";
  }
  const ReasonInfo &info = reasonInfo(*reason_);
  std::string text = std::string(info.name) + ": " + std::string(info.text);
  if (!detail_.empty()) {
    text += " (" + detail_ + ")";
  }
  return text;
}

} // namespace kml::gate
