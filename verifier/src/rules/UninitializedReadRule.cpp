// KML-R010: no reads of uninitialised variables. At CPL 0 an uninitialised
// read may leak kernel data an interrupt frame left on the stack. Clang's
// uninitialised-values analysis finds them; the rule claims its warnings.
#include "rules/Rules.hpp"

#include <string>
#include <vector>

namespace kml::verify {
namespace {

class UninitializedReadRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R010"; }
  // Clang's uninitialised-values analysis (CFG based) reports through these.
  std::vector<std::string> claimedWarnings() const override {
    return {"uninitialized", "sometimes-uninitialized",
            "conditional-uninitialized", "static-self-init",
            "uninitialized-const-reference"};
  }
};

} // namespace

std::unique_ptr<Rule> makeUninitializedReadRule(RuleContext &ctx) {
  return std::make_unique<UninitializedReadRule>(ctx);
}

} // namespace kml::verify
