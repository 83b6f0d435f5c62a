// KML-R007: no variable-length arrays and no alloca. Dynamic stack
// allocation makes the stack bound (KML-R008) impossible to prove, and at
// CPL 0 no guard page lies below the application's stack.
#include "rules/Rules.hpp"

#include <clang/ASTMatchers/ASTMatchers.h>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class StackAllocationRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R007"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(
        varDecl(hasType(hasCanonicalType(variableArrayType()))).bind("vla"),
        this);
    f.addMatcher(typedefNameDecl(hasType(hasCanonicalType(variableArrayType())))
                     .bind("vlatype"),
                 this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *v = r.Nodes.getNodeAs<clang::VarDecl>("vla"))
      report(sm, v->getSourceRange(),
             "variable-length array '" + v->getNameAsString() + "'",
             "use a fixed-size array or a kml::buffer");
    if (const auto *t = r.Nodes.getNodeAs<clang::TypedefNameDecl>("vlatype"))
      report(sm, t->getSourceRange(), "variable-length array type",
             "use a fixed-size array type");
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn"))
      if (fn->getDeclName().isIdentifier() &&
          isStackAllocationFunction(fn->getName().str()))
        report(sm,
               r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")->getSourceRange(),
               "'" + fn->getNameAsString() + "' allocates on the stack",
               "use a fixed-size array or a kml::buffer");
  }
};

} // namespace

std::unique_ptr<Rule> makeStackAllocationRule(RuleContext &ctx) {
  return std::make_unique<StackAllocationRule>(ctx);
}

} // namespace kml::verify
