// KML-R016: no pointer made from bytes. At CPL 0 a pointer whose value came
// from bytes (a constant, the input, a counter) is an arbitrary kernel
// write. Typed code can only make pointers from addresses, allocations,
// array decay and other pointers (KML-R003 forbids the casts), so the
// bytes must come in through a byte-level write into an object that holds
// a pointer: memcpy, memset, read, recv, fread, a helper of the program's
// own... Every one of them takes the object as `void *`, so the rule looks
// at that conversion, whoever the callee is; at the two ways C gets a
// writable alias without one (a call without a prototype, the search
// functions that return a writable pointer into a const argument); and at
// std::bit_cast, the one typed way to make an object out of bytes.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <algorithm>
#include <string>
#include <vector>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

// Clang 19 has no matcher of its own for __builtin_bit_cast.
const internal::VariadicDynCastAllOfMatcher<clang::Stmt,
                                            clang::BuiltinBitCastExpr>
    builtinBitCastExpr; // NOLINT(readability-identifier-naming): matcher style

/// A pointer to void whose pointee may be written through it.
bool isWritableVoidPointer(clang::QualType t) {
  const auto *p = t->getAs<clang::PointerType>();
  return p != nullptr && p->getPointeeType()->isVoidType() &&
         !p->getPointeeType().isConstQualified();
}

/// The pointee of \p t when it is a pointer to an object holding a pointer.
bool pointsToPointerHolder(clang::QualType t) {
  const auto *p = t->getAs<clang::PointerType>();
  return p != nullptr && !p->getPointeeType()->isVoidType() &&
         containsPointerType(p->getPointeeType());
}

std::string quoted(clang::QualType t) { return "'" + t.getAsString() + "'"; }

/// C library searches that return a writable pointer into the `const`
/// object they were given (C has no overloads to keep the const).
bool launderingSearch(llvm::StringRef name) {
  static constexpr llvm::StringLiteral kNames[] = {
      "memchr",    "memrchr", "rawmemchr",  "memmem",  "strchr", "strrchr",
      "strchrnul", "strstr",  "strcasestr", "strpbrk", "bsearch"};
  return std::ranges::any_of(
      kNames, [name](llvm::StringRef known) { return name == known; });
}

class BytesIntoPointersRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R016"; }

  // The printf family takes its pointers as variadic arguments, which no
  // conversion shows: `%ln` writes a count into whatever `&p` is. Clang's
  // format checks compare each conversion with its argument, and only a
  // literal format can be checked.
  std::vector<std::string> claimedWarnings() const override {
    return {"format",
            "format-nonliteral",
            "format-security",
            "format-extra-args",
            "format-insufficient-args",
            "format-invalid-specifier"};
  }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(castExpr(hasCastKind(clang::CK_BitCast)).bind("cast"), this);
    f.addMatcher(builtinBitCastExpr().bind("bitcast"), this);
    // std::bit_cast's own __builtin_bit_cast is in a system header; any use
    // of it counts, a call or its address.
    f.addMatcher(
        declRefExpr(
            to(functionDecl(hasName("::std::bit_cast")).bind("stdbitcastfn")))
            .bind("stdbitcast"),
        this);
    f.addMatcher(callExpr().bind("call"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *c = r.Nodes.getNodeAs<clang::CastExpr>("cast")) {
      checkVoidView(*c, sm);
      return;
    }
    if (const auto *call = r.Nodes.getNodeAs<clang::CallExpr>("call")) {
      checkAliasingCall(*call, *r.Context, sm);
      return;
    }
    if (const auto *b =
            r.Nodes.getNodeAs<clang::BuiltinBitCastExpr>("bitcast")) {
      if (containsPointerType(b->getType()))
        reportBitCast(sm, b->getSourceRange(), b->getType());
      return;
    }
    const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("stdbitcastfn");
    const auto *ref = r.Nodes.getNodeAs<clang::DeclRefExpr>("stdbitcast");
    if (fn != nullptr && ref != nullptr &&
        containsPointerType(fn->getReturnType()))
      reportBitCast(sm, ref->getSourceRange(), fn->getReturnType());
  }

private:
  void reportBitCast(const clang::SourceManager &sm, clang::SourceRange range,
                     clang::QualType to) {
    report(sm, range,
           "bit cast makes " + quoted(to) +
               ", which holds a pointer, out of bytes",
           "take the address of an object (&x) or copy another pointer; "
           "bit-cast only to pointer-free types");
  }

  // `T *` to `void *`, implicit (an argument of memcpy, read, ...) or
  // explicit: whatever receives it may write bytes into a T.
  void checkVoidView(const clang::CastExpr &c, const clang::SourceManager &sm) {
    if (!isWritableVoidPointer(c.getType()))
      return;
    const clang::QualType from = c.getSubExpr()->getType();
    if (!pointsToPointerHolder(from))
      return;
    report(sm, c.getSourceRange(),
           quoted(from) + " becomes " + quoted(c.getType()) +
               ": bytes written through it would become a pointer",
           "assign pointers from &object or another pointer; clear with "
           "'= {0}' or '{}' instead of memset; read bytes into a "
           "pointer-free buffer and build the object field by field");
  }

  // A C function called without a prototype gets its arguments
  // unconverted; C's search functions (memchr, strchr, strstr...) return a
  // writable pointer into the const object they were given.
  void checkAliasingCall(const clang::CallExpr &call,
                         const clang::ASTContext &ast,
                         const clang::SourceManager &sm) {
    // Template patterns: their instantiations are checked instead.
    if (call.isTypeDependent() || call.isValueDependent() ||
        call.getCallee() == nullptr || call.getCallee()->isTypeDependent())
      return;
    const clang::QualType calleeType =
        call.getCallee()->getType()->isPointerType()
            ? call.getCallee()->getType()->getPointeeType()
            : call.getCallee()->getType();
    const bool noPrototype = calleeType->isFunctionNoProtoType();
    const clang::QualType ret = call.getCallReturnType(ast);
    if (ret.isNull())
      return;
    const clang::FunctionDecl *fn = call.getDirectCallee();
    const bool returnsWritable =
        fn != nullptr && fn->getDeclName().isIdentifier() &&
        launderingSearch(fn->getName()) && ret->isPointerType() &&
        !ret->getPointeeType().isConstQualified();
    if (!noPrototype && !returnsWritable)
      return;
    for (const clang::Expr *arg : call.arguments()) {
      const clang::QualType inner = arg->IgnoreParenImpCasts()->getType();
      if (!pointsToPointerHolder(inner))
        continue;
      if (noPrototype)
        report(sm, arg->getSourceRange(),
               quoted(inner) +
                   " passed to a function without a prototype: nothing "
                   "checks what it writes through it",
               "declare the function with a prototype");
      else if (arg->getType()->isPointerType() &&
               arg->getType()->getPointeeType().isConstQualified())
        report(sm, arg->getSourceRange(),
               quoted(inner) + " passed as " + quoted(arg->getType()) +
                   " to a function that returns " + quoted(ret) +
                   " into it: bytes written through that would become a "
                   "pointer",
               "search a pointer-free buffer instead");
    }
  }
};

} // namespace

std::unique_ptr<Rule> makeBytesIntoPointersRule(RuleContext &ctx) {
  return std::make_unique<BytesIntoPointersRule>(ctx);
}

} // namespace kml::verify
