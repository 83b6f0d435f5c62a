// KML-R004: no union holds a pointer, directly or inside a member. A union
// that overlays a pointer with anything else is a cast the compiler cannot
// see: write an integer, read a pointer.
#include "rules/Rules.hpp"

#include <clang/ASTMatchers/ASTMatchers.h>

#include <string>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class PointerUnionRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R004"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(recordDecl(isUnion(), isDefinition()).bind("union"), this);
  }

  void run(const MatchResult &r) override {
    const auto *u = r.Nodes.getNodeAs<clang::RecordDecl>("union");
    if (!u || u->isDependentContext())
      return;
    for (const auto *field : u->fields())
      if (containsPointerType(field->getType())) {
        std::string name = u->getName().empty()
                               ? std::string("anonymous union")
                               : "union '" + u->getNameAsString() + "'";
        report(*r.SourceManager, field->getSourceRange(),
               name + " holds a pointer in member '" +
                   field->getNameAsString() + "'",
               "use a struct (or a tagged struct) for pointer members");
      }
  }
};

} // namespace

std::unique_ptr<Rule> makePointerUnionRule(RuleContext &ctx) {
  return std::make_unique<PointerUnionRule>(ctx);
}

} // namespace kml::verify
