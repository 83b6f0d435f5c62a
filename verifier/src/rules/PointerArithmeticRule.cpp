// KML-R006: no raw pointer arithmetic and no [] on raw pointers or arrays
// of unknown size; raw pointer arithmetic is where buffer overflows live.
// A C array of known size may be indexed (-fsanitize=bounds, KML-R014,
// traps the rest) but a constant index must be in range, and the
// application may not call the runtime's unchecked view constructors.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <string>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

constexpr const char *kSpanAdvice =
    "use kml::span<T> or kml::array<T, N> (bounds-checked), or a "
    "fixed-size array";

/// Advice naming the concrete view type for the language at hand.
std::string viewAdvice(const clang::ASTContext &ast, clang::QualType element,
                       const std::string &name) {
  std::string who = name.empty() ? "it" : "'" + name + "'";
  if (ast.getLangOpts().CPlusPlus)
    return "pass " + who + " as kml::span<" + element.getAsString() +
           "> (bounds-checked), or index a fixed-size array";
  return "pass " + who +
         " as a kml/rt.h view (KML_SPAN_DEFINE, e.g. kml_ints for int) "
         "and use its _get/_set accessors";
}

class PointerArithmeticRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R006"; }

  void registerMatchers(MatchFinder &f) override {
    auto ptr = hasType(hasCanonicalType(pointerType()));
    f.addMatcher(binaryOperator(hasAnyOperatorName("+", "-", "+=", "-="),
                                hasEitherOperand(ptr))
                     .bind("arith"),
                 this);
    f.addMatcher(
        unaryOperator(hasAnyOperatorName("++", "--"), hasUnaryOperand(ptr))
            .bind("step"),
        this);
    f.addMatcher(arraySubscriptExpr().bind("index"), this);
    // The runtime's escape hatches build a view from a raw pointer and a
    // length nobody checked; only reviewed runtime code may use them.
    f.addMatcher(callExpr(callee(functionDecl(anyOf(hasName("unchecked"),
                                                    matchesName("_make$")))
                                     .bind("hatch")))
                     .bind("hatchCall"),
                 this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *b = r.Nodes.getNodeAs<clang::BinaryOperator>("arith")) {
      if (isCompilerIterator(b->getLHS()) || isCompilerIterator(b->getRHS()))
        return;
      report(sm, b->getOperatorLoc(),
             "pointer arithmetic ('" + b->getOpcodeStr().str() +
                 "' on a pointer)",
             kSpanAdvice);
      return;
    }
    if (const auto *u = r.Nodes.getNodeAs<clang::UnaryOperator>("step")) {
      if (isCompilerIterator(u->getSubExpr()))
        return;
      report(sm, u->getSourceRange(),
             "pointer arithmetic ('" +
                 clang::UnaryOperator::getOpcodeStr(u->getOpcode()).str() +
                 "' on a pointer)",
             kSpanAdvice);
      return;
    }
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("hatch")) {
      if (ctx_.isRuntime(sm, fn->getLocation()))
        report(
            sm,
            r.Nodes.getNodeAs<clang::CallExpr>("hatchCall")->getSourceRange(),
            "'" + fn->getNameAsString() +
                "' builds a view over a raw pointer with an unchecked "
                "length",
            "build views from arrays (kml::span(array), KML_SPAN_OF, "
            "KML_STR) or owning buffers");
      return;
    }
    if (const auto *e = r.Nodes.getNodeAs<clang::ArraySubscriptExpr>("index"))
      checkSubscript(*e, *r.Context, sm);
  }

private:
  /// The hidden __begin/__range variables of a range-based for: the
  /// compiler's own iteration over a range whose size it knows.
  static bool isCompilerIterator(const clang::Expr *e) {
    const auto *ref =
        llvm::dyn_cast<clang::DeclRefExpr>(e->IgnoreParenImpCasts());
    return ref && ref->getDecl()->isImplicit() &&
           llvm::isa<clang::VarDecl>(ref->getDecl());
  }

  /// `s.tail[i]` where tail is the last member and has 0 or 1 elements: the
  /// classic pre-C99 flexible array, which -fsanitize=bounds does not check.
  static bool isTrailingArray(const clang::Expr &base,
                              const clang::ConstantArrayType &type) {
    const auto *member = llvm::dyn_cast<clang::MemberExpr>(&base);
    if (!member || type.getSize().getZExtValue() > 1)
      return false;
    const auto *field =
        llvm::dyn_cast<clang::FieldDecl>(member->getMemberDecl());
    if (!field)
      return false;
    const clang::RecordDecl *rd = field->getParent();
    const clang::FieldDecl *last = nullptr;
    for (const clang::FieldDecl *fd : rd->fields())
      last = fd;
    return last == field;
  }

  void checkSubscript(const clang::ArraySubscriptExpr &e,
                      clang::ASTContext &ast, const clang::SourceManager &sm) {
    const clang::Expr *base = e.getBase()->IgnoreParens();
    // A C array reaches [] through an array-to-pointer decay.
    if (const auto *decay = llvm::dyn_cast<clang::ImplicitCastExpr>(base);
        decay && decay->getCastKind() == clang::CK_ArrayToPointerDecay) {
      const clang::Expr *array = decay->getSubExpr()->IgnoreParens();
      const clang::Type *t = array->getType()->getUnqualifiedDesugaredType();
      if (const auto *cat = llvm::dyn_cast<clang::ConstantArrayType>(t)) {
        if (isTrailingArray(*array, *cat)) {
          report(sm, e.getSourceRange(),
                 "indexing a trailing (flexible) array, which has no bound",
                 kSpanAdvice);
          return;
        }
        if (e.getIdx()->isValueDependent())
          return;
        clang::Expr::EvalResult value;
        if (e.getIdx()->EvaluateAsInt(value, ast)) {
          llvm::APSInt i = value.Val.getInt();
          uint64_t size = cat->getSize().getZExtValue();
          if (i.isNegative() || i.getExtValue() >= static_cast<int64_t>(size))
            report(sm, e.getSourceRange(),
                   "constant index " + llvm::toString(i, 10) +
                       " is out of bounds for an array of " +
                       std::to_string(size) + " elements");
        }
        // A non-constant index on a C array of known size is accepted:
        // -fsanitize=bounds -fsanitize-trap=bounds (KML-R014) traps it.
        return;
      }
      if (llvm::isa<clang::VariableArrayType>(t))
        return; // KML-R007 rejects the array itself
      report(sm, e.getSourceRange(), "indexing an array of unknown size",
             kSpanAdvice);
      return;
    }
    if (base->getType()->isPointerType()) {
      std::string what = "a raw pointer";
      std::string name;
      if (const auto *ref =
              llvm::dyn_cast<clang::DeclRefExpr>(base->IgnoreParenImpCasts())) {
        name = ref->getDecl()->getNameAsString();
        what = "raw pointer '" + name + "'";
      }
      report(sm, e.getSourceRange(), "[] on " + what + " has no bounds check",
             viewAdvice(ast, base->getType()->getPointeeType(), name));
    }
  }
};

} // namespace

std::unique_ptr<Rule> makePointerArithmeticRule(RuleContext &ctx) {
  return std::make_unique<PointerArithmeticRule>(ctx);
}

} // namespace kml::verify
