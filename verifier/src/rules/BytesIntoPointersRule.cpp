// KML-R016: no pointer made from bytes. At CPL 0 a pointer whose value came
// from bytes (a constant, the input, a counter) is an arbitrary kernel
// write. Typed code can only make pointers from addresses, allocations,
// array decay and other pointers (KML-R003 forbids the casts), so the
// bytes must come in through a byte-level write into an object that holds
// a pointer: memcpy, memset, read, recv, fread, a helper of the program's
// own... Every one of them takes the object as `void *`, so the rule looks
// at that conversion, whoever the callee is, and at std::bit_cast, the one
// typed way to make an object out of bytes.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <string>

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

std::string quoted(clang::QualType t) { return "'" + t.getAsString() + "'"; }

class BytesIntoPointersRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R016"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(castExpr(hasCastKind(clang::CK_BitCast)).bind("cast"), this);
    f.addMatcher(builtinBitCastExpr().bind("bitcast"), this);
    // std::bit_cast's own __builtin_bit_cast is in a system header.
    f.addMatcher(callExpr(callee(functionDecl(hasName("::std::bit_cast"))))
                     .bind("stdbitcast"),
                 this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *c = r.Nodes.getNodeAs<clang::CastExpr>("cast")) {
      checkVoidView(*c, sm);
      return;
    }
    const clang::Expr *e =
        r.Nodes.getNodeAs<clang::BuiltinBitCastExpr>("bitcast");
    const clang::Expr *from = nullptr;
    if (e != nullptr) {
      from = llvm::cast<clang::BuiltinBitCastExpr>(e)->getSubExpr();
    } else if (const auto *call =
                   r.Nodes.getNodeAs<clang::CallExpr>("stdbitcast");
               call != nullptr && call->getNumArgs() == 1) {
      e = call;
      from = call->getArg(0);
    }
    if (e != nullptr && containsPointerType(e->getType()))
      report(sm, e->getSourceRange(),
             "bit cast makes " + quoted(e->getType()) +
                 ", which holds a pointer, out of the bytes of " +
                 quoted(from->getType()),
             "take the address of an object (&x) or copy another pointer; "
             "bit-cast only to pointer-free types");
  }

private:
  // `T *` to `void *`, implicit (an argument of memcpy, read, ...) or
  // explicit: whatever receives it may write bytes into a T.
  void checkVoidView(const clang::CastExpr &c, const clang::SourceManager &sm) {
    if (!isWritableVoidPointer(c.getType()))
      return;
    const clang::QualType from = c.getSubExpr()->getType();
    const auto *p = from->getAs<clang::PointerType>();
    if (p == nullptr || p->getPointeeType()->isVoidType() ||
        !containsPointerType(p->getPointeeType()))
      return;
    report(sm, c.getSourceRange(),
           quoted(from) + " becomes " + quoted(c.getType()) +
               ": bytes written through it would become a pointer",
           "assign pointers from &object or another pointer; clear with "
           "'= {0}' or '{}' instead of memset; read bytes into a "
           "pointer-free buffer and build the object field by field");
  }
};

} // namespace

std::unique_ptr<Rule> makeBytesIntoPointersRule(RuleContext &ctx) {
  return std::make_unique<BytesIntoPointersRule>(ctx);
}

} // namespace kml::verify
