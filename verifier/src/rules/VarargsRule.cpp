// KML-R005: no variadic function definitions. va_arg reads the stack with
// a type the caller did not promise, and nothing bounds it; calling an
// allowlisted variadic function (printf) is fine.
#include "rules/Rules.hpp"

#include <clang/ASTMatchers/ASTMatchers.h>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class VarargsRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R005"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(functionDecl(isDefinition(), isVariadic()).bind("fn"), this);
  }

  void run(const MatchResult &r) override {
    const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn");
    report(*r.SourceManager, fn->getLocation(),
           "variadic function '" + fn->getNameAsString() + "' is defined here",
           "take a kml::span or a fixed parameter list instead of '...'");
  }
};

} // namespace

std::unique_ptr<Rule> makeVarargsRule(RuleContext &ctx) {
  return std::make_unique<VarargsRule>(ctx);
}

} // namespace kml::verify
