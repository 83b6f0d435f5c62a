// KML-R001: no inline asm, module asm, asm labels or naked functions, and
// target builtins only from an allowlist. Assembly runs at CPL 0 with no
// source-level meaning the verifier can check: one `cli`, `wrmsr` or
// `mov %cr3` takes the machine.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <clang/Basic/Builtins.h>

#include <string>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class InlineAsmRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R001"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(asmStmt().bind("asm"), this);
    f.addMatcher(functionDecl(hasAttr(clang::attr::Naked)).bind("naked"), this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("builtin"))).bind("ref"),
                 this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *s = r.Nodes.getNodeAs<clang::AsmStmt>("asm"))
      report(sm, s->getSourceRange(), "inline assembly is not allowed",
             "remove it; use a kml runtime helper or an allowlisted builtin");
    if (const auto *d = r.Nodes.getNodeAs<clang::FunctionDecl>("naked"))
      report(sm, d->getLocation(),
             "naked function '" + d->getNameAsString() + "' is assembly",
             "remove __attribute__((naked))");
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("builtin")) {
      unsigned id = fn->getBuiltinID();
      if (id == 0 || !r.Context->BuiltinInfo.isTSBuiltin(id))
        return;
      std::string name = fn->getNameAsString();
      if (isAllowlistedTargetBuiltin(name))
        return;
      const auto *ref = r.Nodes.getNodeAs<clang::DeclRefExpr>("ref");
      report(sm, ref->getSourceRange(),
             "target builtin '" + name + "' is not in the allowlist",
             "allowed target builtins: see kml-verify --explain KML-R001");
    }
  }

  // File-scope asm and asm labels are declarations, found by a walk.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    struct Visitor : clang::RecursiveASTVisitor<Visitor> {
      InlineAsmRule &rule;
      const clang::SourceManager &sm;
      Visitor(InlineAsmRule &r, const clang::SourceManager &s)
          : rule(r), sm(s) {}
      bool VisitFileScopeAsmDecl(clang::FileScopeAsmDecl *d) {
        rule.report(sm, d->getSourceRange(), "module-level asm is not allowed",
                    "remove the asm block");
        return true;
      }
      bool VisitDeclaratorDecl(clang::DeclaratorDecl *d) {
        if (const auto *label = d->getAttr<clang::AsmLabelAttr>())
          if (!label->isImplicit())
            rule.report(sm, label->getLocation(),
                        "asm label on '" + d->getNameAsString() +
                            "' renames a symbol or pins a register",
                        "remove the asm(\"...\") label");
        return true;
      }
    } v(*this, ast.getSourceManager());
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }
};

} // namespace

std::unique_ptr<Rule> makeInlineAsmRule(RuleContext &ctx) {
  return std::make_unique<InlineAsmRule>(ctx);
}

} // namespace kml::verify
