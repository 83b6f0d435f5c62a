// KML-R013: no exceptions (try/throw), no RTTI (dynamic_cast/typeid), no
// setjmp/longjmp. They transfer control through tables and saved registers
// the verifier cannot follow, and the unwinder is not reviewed runtime.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class NonLocalControlRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R013"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(cxxTryStmt().bind("try"), this);
    f.addMatcher(cxxThrowExpr().bind("throw"), this);
    f.addMatcher(cxxDynamicCastExpr().bind("dyn"), this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *s = r.Nodes.getNodeAs<clang::CXXTryStmt>("try"))
      report(sm, s->getTryLoc(), "try block: exceptions are not allowed",
             "return an error code or a result value");
    if (const auto *e = r.Nodes.getNodeAs<clang::CXXThrowExpr>("throw"))
      report(sm, e->getSourceRange(), "throw: exceptions are not allowed",
             "return an error code or a result value");
    if (const auto *e = r.Nodes.getNodeAs<clang::CXXDynamicCastExpr>("dyn"))
      report(sm, e->getSourceRange(), "dynamic_cast needs RTTI",
             "use a virtual function or an explicit type tag");
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn"))
      if (fn->getDeclName().isIdentifier() &&
          isNonLocalJumpFunction(fn->getName().str()))
        report(sm,
               r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")->getSourceRange(),
               "'" + fn->getNameAsString() + "' jumps across stack frames",
               "return an error code and unwind by hand");
  }

  // ASTMatchers has no typeid matcher; a walk finds them.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    struct Visitor : clang::RecursiveASTVisitor<Visitor> {
      NonLocalControlRule &rule;
      const clang::SourceManager &sm;
      Visitor(NonLocalControlRule &r, const clang::SourceManager &s)
          : rule(r), sm(s) {}
      bool VisitCXXTypeidExpr(clang::CXXTypeidExpr *e) {
        rule.report(sm, e->getSourceRange(), "typeid needs RTTI",
                    "use a virtual function or an explicit type tag");
        return true;
      }
    } v(*this, ast.getSourceManager());
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<Rule> makeNonLocalControlRule(RuleContext &ctx) {
  return std::make_unique<NonLocalControlRule>(ctx);
}

} // namespace kml::verify
