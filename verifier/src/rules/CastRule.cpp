// KML-R003: no cast that changes what a pointer points to, casts away
// qualifiers or forges an address: reinterpret_cast, const_cast, C-style
// and implicit pointer conversions, unchecked down-casts. Bounds, types and
// ownership are all decided by the pointee type, and at CPL 0 a forged
// address may be the kernel's.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <optional>
#include <string>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class CastRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R003"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(cxxReinterpretCastExpr().bind("reinterpret"), this);
    f.addMatcher(cxxConstCastExpr().bind("const"), this);
    f.addMatcher(explicitCastExpr(unless(cxxReinterpretCastExpr()),
                                  unless(cxxConstCastExpr()))
                     .bind("explicit"),
                 this);
    f.addMatcher(implicitCastExpr().bind("implicit"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *c =
            r.Nodes.getNodeAs<clang::CXXReinterpretCastExpr>("reinterpret")) {
      report(sm, c->getSourceRange(), "reinterpret_cast is not allowed",
             "copy the bytes (memcpy / std::bit_cast) instead");
      return;
    }
    if (const auto *c = r.Nodes.getNodeAs<clang::CXXConstCastExpr>("const")) {
      report(sm, c->getSourceRange(), "const_cast is not allowed",
             "make the data mutable at its declaration, or copy it");
      return;
    }
    if (const auto *c =
            r.Nodes.getNodeAs<clang::ExplicitCastExpr>("explicit")) {
      if (c->getSubExpr()->isNullPointerConstant(
              *r.Context, clang::Expr::NPC_ValueDependentIsNotNull))
        return; // (T *)0 is a null pointer, not a forged address
      if (c->getCastKind() == clang::CK_BaseToDerived ||
          c->getCastKind() == clang::CK_BaseToDerivedMemberPointer) {
        // Nothing checks that the object is a Derived: its size and its
        // members past the base's are the cast's claim.
        report(sm, c->getSourceRange(),
               "down-cast from '" + c->getSubExpr()->getType().getAsString() +
                   "' to '" + c->getType().getAsString() +
                   "' is not checked: the object may be only the base",
               "call a virtual function of the base, or keep the derived "
               "object's own type");
        return;
      }
      if (auto why = unsafe(*c, *r.Context))
        report(sm, c->getSourceRange(), *why,
               "keep the pointer's type; copy bytes with memcpy or "
               "std::bit_cast");
      return;
    }
    if (const auto *c =
            r.Nodes.getNodeAs<clang::ImplicitCastExpr>("implicit")) {
      // NULL is ((void *)0) in C: comparing or assigning it converts a
      // null constant, not an object's address.
      if (c->getSubExpr()->isNullPointerConstant(
              *r.Context, clang::Expr::NPC_ValueDependentIsNotNull))
        return;
      if (c->getCastKind() == clang::CK_IntegralToPointer)
        report(sm, c->getSourceRange(),
               "implicit integer-to-pointer conversion forges an address");
      else if (c->getCastKind() == clang::CK_BitCast &&
               changesPointee(c->getSubExpr()->getType(), c->getType()))
        report(sm, c->getSourceRange(),
               "implicit conversion from '" +
                   c->getSubExpr()->getType().getAsString() + "' to '" +
                   c->getType().getAsString() + "' changes the pointee type",
               "declare the pointer with the right type");
      else if ((c->getCastKind() == clang::CK_BitCast ||
                c->getCastKind() == clang::CK_NoOp) &&
               dropsQualifiers(c->getSubExpr()->getType(), c->getType()))
        // C only warns (-Wincompatible-pointer-types-discards-qualifiers).
        report(sm, c->getSourceRange(),
               "implicit conversion from '" +
                   c->getSubExpr()->getType().getAsString() + "' to '" +
                   c->getType().getAsString() + "' drops qualifiers",
               "keep the pointer const, or make the data mutable at its "
               "declaration");
    }
  }

private:
  /// Whether converting \p from to \p to (both pointers) changes the
  /// pointee. Erasing to void* is allowed: nothing can be read through it.
  static bool changesPointee(clang::QualType from, clang::QualType to) {
    if (!from->isAnyPointerType() || !to->isAnyPointerType())
      return from->isPointerType() != to->isPointerType();
    clang::QualType pf = from->getPointeeType().getCanonicalType();
    clang::QualType pt = to->getPointeeType().getCanonicalType();
    if (pt->isVoidType())
      return false;
    return pf.getUnqualifiedType() != pt.getUnqualifiedType();
  }

  static bool dropsQualifiers(clang::QualType from, clang::QualType to) {
    if (!from->isPointerType() || !to->isPointerType())
      return false;
    clang::Qualifiers qf = from->getPointeeType().getQualifiers();
    clang::Qualifiers qt = to->getPointeeType().getQualifiers();
    return !qt.compatiblyIncludes(qf);
  }

  static std::optional<std::string> unsafe(const clang::ExplicitCastExpr &c,
                                           clang::ASTContext & /*unused*/) {
    clang::QualType from = c.getSubExpr()->getType();
    clang::QualType to = c.getType();
    switch (c.getCastKind()) {
    case clang::CK_IntegralToPointer:
      return "integer-to-pointer cast forges an address";
    case clang::CK_LValueBitCast:
    case clang::CK_LValueToRValueBitCast:
    case clang::CK_ReinterpretMemberPointer:
      return "cast reinterprets the object's type";
    case clang::CK_BitCast:
      if (changesPointee(from, to))
        return "cast from '" + from.getAsString() + "' to '" +
               to.getAsString() + "' changes the pointee type";
      return std::nullopt;
    case clang::CK_NoOp:
      if (dropsQualifiers(from, to))
        return "cast from '" + from.getAsString() + "' to '" +
               to.getAsString() + "' casts away qualifiers";
      return std::nullopt;
    default:
      return std::nullopt;
    }
  }
};

} // namespace

std::unique_ptr<Rule> makeCastRule(RuleContext &ctx) {
  return std::make_unique<CastRule>(ctx);
}

} // namespace kml::verify
