// KML-R012: no raw new/delete/malloc/calloc/realloc/free in application
// code. Manual lifetimes give use-after-free and double free; the reviewed
// owning types (kml::buffer<T>) free exactly once and carry their size.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class RawAllocationRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R012"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(cxxNewExpr().bind("new"), this);
    f.addMatcher(cxxDeleteExpr().bind("delete"), this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    const char *advice =
        r.Context->getLangOpts().CPlusPlus
            ? "use kml::buffer<T> (an owning, bounds-checked allocation)"
            : "use a kml/rt.h view's _alloc/_free pair (KML_SPAN_DEFINE_SET)";
    if (const auto *e = r.Nodes.getNodeAs<clang::CXXNewExpr>("new"))
      report(sm, e->getSourceRange(),
             e->getNumPlacementArgs() ? "placement new constructs into raw "
                                        "storage"
                                      : "raw new: allocation must go through "
                                        "an owning type",
             advice);
    if (const auto *e = r.Nodes.getNodeAs<clang::CXXDeleteExpr>("delete"))
      report(sm, e->getSourceRange(),
             "raw delete: allocation must go through an owning type", advice);
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn"))
      if (isAllocationFunction(*fn))
        report(sm,
               r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")->getSourceRange(),
               "'" + fn->getNameAsString() +
                   "' manages memory by hand: allocation must go through an "
                   "owning type",
               advice);
  }
};

} // namespace

std::unique_ptr<Rule> makeRawAllocationRule(RuleContext &ctx) {
  return std::make_unique<RawAllocationRule>(ctx);
}

} // namespace kml::verify
