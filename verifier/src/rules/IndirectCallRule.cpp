// KML-R009: indirect calls only through function pointers taken explicitly
// from named functions. A function pointer made from data, a cast or an
// external source can jump anywhere in a ring-0 address space; when every
// value starts as `&f`, the targets are the address-taken functions, which
// KML-R008 also uses.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <string>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

bool isFunctionPointerType(clang::QualType t) {
  t = t.getCanonicalType();
  return t->isFunctionPointerType() || t->isFunctionReferenceType() ||
         t->isMemberFunctionPointerType();
}

/// True when \p e names a function: `f`, `&f`, `&C::m`.
bool isExplicitFunctionAddress(const clang::Expr *e) {
  e = e->IgnoreParenImpCasts();
  if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(e);
      u && u->getOpcode() == clang::UO_AddrOf)
    e = u->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(e))
    return llvm::isa<clang::FunctionDecl>(ref->getDecl());
  return false;
}

class IndirectCallRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R009"; }

  void registerMatchers(MatchFinder &f) override {
    // Bytes copied over a function pointer are KML-R016's, with every
    // other pointer.
    f.addMatcher(castExpr().bind("cast"), this);
  }

  void run(const MatchResult &r) override {
    if (const auto *c = r.Nodes.getNodeAs<clang::CastExpr>("cast"))
      checkCast(*c, *r.Context, *r.SourceManager);
  }

private:
  void checkCast(const clang::CastExpr &c, clang::ASTContext &ast,
                 const clang::SourceManager &sm) {
    if (!isFunctionPointerType(c.getType()))
      return;
    switch (c.getCastKind()) {
    case clang::CK_FunctionToPointerDecay:
    case clang::CK_BuiltinFnToFnPtr: // a direct call of a builtin
    case clang::CK_NoOp:
    case clang::CK_LValueToRValue:
    case clang::CK_NullToPointer:
    case clang::CK_NullToMemberPointer:
    case clang::CK_DerivedToBaseMemberPointer:
    case clang::CK_BaseToDerivedMemberPointer:
    case clang::CK_UserDefinedConversion:
    case clang::CK_ConstructorConversion:
      return;
    default:
      break;
    }
    const clang::Expr *sub = c.getSubExpr();
    if (sub->isNullPointerConstant(ast,
                                   clang::Expr::NPC_ValueDependentIsNotNull))
      return;
    if (c.getCastKind() == clang::CK_BitCast && isExplicitFunctionAddress(sub))
      report(sm, c.getSourceRange(),
             "cast changes the type of function '" +
                 sub->IgnoreParenImpCasts()->getType().getAsString() +
                 "': the call would not match its definition",
             "call the function through a pointer of its own type");
    else
      report(sm, c.getSourceRange(),
             "function pointer made from '" + sub->getType().getAsString() +
                 "' rather than from a named function",
             "take the address of a function (&f) and store it in a "
             "pointer of that type");
  }
};

} // namespace

std::unique_ptr<Rule> makeIndirectCallRule(RuleContext &ctx) {
  return std::make_unique<IndirectCallRule>(ctx);
}

} // namespace kml::verify
