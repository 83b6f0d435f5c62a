// The single source of truth for rule facts: --explain, SARIF rule metadata
// and docs/rules/*.md are all produced from this table.
#pragma once

#include <span>
#include <string_view>

namespace kml::verify {

/// Bumped whenever a rule is added, removed or made stricter, so an
/// attestation says exactly which subset the program was checked against.
inline constexpr std::string_view kRuleSetVersion = "4";

struct RuleInfo {
  std::string_view id;        // "KML-R001"
  std::string_view name;      // short kebab-case name, SARIF "name"
  std::string_view summary;   // one line
  std::string_view rationale; // why ring-0 code needs it
  std::string_view bad;       // example the rule rejects
  std::string_view good;      // the accepted way to write it
  std::string_view fix;       // what to do about a finding
  // What the rule cannot see ("" if unwritten). The initializer is what
  // lets a table entry leave it out without -Wmissing-field-initializers.
  std::string_view limits = {}; // NOLINT(readability-redundant-member-init)
};

/// All rules, ordered by ID.
std::span<const RuleInfo> ruleTable();

/// nullptr when \p id names no rule.
const RuleInfo *findRule(std::string_view id);

/// Index of \p id in ruleTable(), or -1.
int ruleIndex(std::string_view id);

} // namespace kml::verify
