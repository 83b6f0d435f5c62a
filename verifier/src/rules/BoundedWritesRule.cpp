// KML-R017: every byte-level write stays inside its destination. The C
// library's byte writers (memcpy, memset, read, snprintf, fgets, fread...)
// take a pointer and a length and trust both: a length larger than the
// object is a write past it, which at CPL 0 reaches return addresses and
// the pointers beside the object. -fsanitize=bounds sees only the
// program's own indexing, never inside libc, so each call is proved here:
//   - the destination's extent comes from its type: a whole array, the
//     object `&x` names, one T behind a `T *` (R006 leaves no way to make a
//     pointer into the middle of something);
//   - the length's upper bound must be a constant no larger than that
//     extent (sizeof, constants, strnlen/std::min/?:/%/& of them, a
//     comparison that picks the smaller, const locals initialised so), or
//     the length is the container's own size (`v.data(), v.size()`).
// glibc's _FORTIFY_SOURCE is not relied on: it sees only objects whose
// size the compiler knows, and in C it turns printf into __printf_chk,
// whose format Clang no longer checks (KML-R016 needs those checks).
// Taking a writer's address is refused, as its calls could not be seen.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

/// A function that writes bytes through a pointer argument, and where its
/// length is: one argument, or the product of two (fread's size * count).
struct ByteWriter {
  std::string_view name;
  unsigned dest;
  unsigned length;
  int count = -1; // a second length factor
};

constexpr ByteWriter kWriters[] = {
    {"memcpy", 0, 2},
    {"memmove", 0, 2},
    {"mempcpy", 0, 2},
    {"memset", 0, 2},
    {"bzero", 0, 1},
    {"explicit_bzero", 0, 1},
    {"read", 1, 2},
    {"pread", 1, 2},
    {"pread64", 1, 2},
    {"recv", 1, 2},
    {"recvfrom", 1, 2},
    {"fread", 0, 1, 2},
    {"fread_unlocked", 0, 1, 2},
    {"fgets", 0, 1},
    {"fgets_unlocked", 0, 1},
    {"snprintf", 0, 1},
    {"vsnprintf", 0, 1},
    {"strncpy", 0, 2},
    {"stpncpy", 0, 2},
    {"strxfrm", 0, 2},
    {"strftime", 0, 1},
    {"getcwd", 0, 1},
    {"gethostname", 0, 1},
    {"readlink", 1, 2},
    {"getrandom", 0, 1},
    // The compiler's own spellings reach the same code without a wrapper.
    {"__builtin_memcpy", 0, 2},
    {"__builtin_memmove", 0, 2},
    {"__builtin_mempcpy", 0, 2},
    {"__builtin_memset", 0, 2},
    {"__builtin_bzero", 0, 1},
    {"__builtin_memcpy_inline", 0, 2},
    {"__builtin_memset_inline", 0, 2},
    {"__builtin_strncpy", 0, 2},
    {"__builtin_stpncpy", 0, 2},
    {"__builtin_snprintf", 0, 1},
    {"__builtin_vsnprintf", 0, 1},
    {"__builtin___memcpy_chk", 0, 2},
    {"__builtin___memmove_chk", 0, 2},
    {"__builtin___mempcpy_chk", 0, 2},
    {"__builtin___memset_chk", 0, 2},
    {"__builtin___strncpy_chk", 0, 2},
    {"__builtin___stpncpy_chk", 0, 2},
    {"__builtin___snprintf_chk", 0, 1},
    {"__builtin___vsnprintf_chk", 0, 1},
};

const ByteWriter *findWriter(const clang::FunctionDecl &fn) {
  if (!fn.getDeclName().isIdentifier() || fn.isCXXClassMember())
    return nullptr;
  // libc's functions, also as <cstring>'s std:: names; a function of the
  // program's own namespace is its own code.
  const clang::DeclContext *dc = fn.getDeclContext()->getRedeclContext();
  if (!dc->isTranslationUnit() && !dc->isStdNamespace())
    return nullptr;
  const llvm::StringRef name = fn.getName();
  for (const ByteWriter &w : kWriters)
    if (name == llvm::StringRef(w.name.data(), w.name.size()))
      return &w;
  return nullptr;
}

std::optional<std::uint64_t> sizeOf(clang::QualType t,
                                    const clang::ASTContext &ast) {
  if (t.isNull() || t->isIncompleteType() || t->isDependentType() ||
      t->isVariablyModifiedType() || t->isFunctionType() || t->isVoidType())
    return std::nullopt;
  return ast.getTypeSizeInChars(t).getQuantity();
}

/// The bytes the destination expression is known to have behind it.
std::optional<std::uint64_t> destinationExtent(const clang::Expr *dest,
                                               const clang::ASTContext &ast) {
  const clang::Expr *e = dest->IgnoreParenCasts();
  if (const auto *arr = ast.getAsConstantArrayType(e->getType()))
    return sizeOf(clang::QualType(arr, 0), ast); // a decayed array
  if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(e);
      u && u->getOpcode() == clang::UO_AddrOf) {
    const clang::Expr *obj = u->getSubExpr()->IgnoreParens();
    if (const auto *sub = llvm::dyn_cast<clang::ArraySubscriptExpr>(obj)) {
      const clang::Expr *base = sub->getBase()->IgnoreParenImpCasts();
      const auto *arr = ast.getAsConstantArrayType(base->getType());
      clang::Expr::EvalResult index;
      if (arr != nullptr && sub->getIdx()->EvaluateAsInt(index, ast) &&
          !index.Val.getInt().isNegative()) {
        const std::uint64_t n = arr->getSize().getZExtValue();
        const std::uint64_t k = index.Val.getInt().getZExtValue();
        const auto elem = sizeOf(arr->getElementType(), ast);
        if (elem && k <= n)
          return (n - k) * *elem;
        return 0;
      }
    }
    return sizeOf(obj->getType(), ast);
  }
  // std::array's data(): the whole array.
  if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
    const clang::CXXMethodDecl *m = call->getMethodDecl();
    const clang::CXXRecordDecl *rec = call->getRecordDecl();
    if (m != nullptr && rec != nullptr && m->getDeclName().isIdentifier() &&
        m->getName() == "data" && rec->getName() == "array" &&
        rec->getDeclContext()->getRedeclContext()->isStdNamespace())
      return sizeOf(call->getImplicitObjectArgument()->getType(), ast);
  }
  // A named pointer points to at least one T (R006 leaves no arithmetic
  // to move it, R018 no span::data() past an end); so does the data() of
  // a vector or string (a valid allocation, or null). A pointer another
  // call returns may point anywhere, past an end included.
  const auto *p = e->getType()->getAs<clang::PointerType>();
  if (p == nullptr)
    return std::nullopt;
  if (llvm::isa<clang::DeclRefExpr>(e) || llvm::isa<clang::MemberExpr>(e))
    return sizeOf(p->getPointeeType(), ast);
  if (const auto *call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
    const clang::CXXMethodDecl *m = call->getMethodDecl();
    const clang::CXXRecordDecl *rec = call->getRecordDecl();
    if (m != nullptr && rec != nullptr && m->getDeclName().isIdentifier() &&
        m->getName() == "data" && rec->getDeclName().isIdentifier() &&
        (rec->getName() == "vector" || rec->getName() == "basic_string") &&
        rec->getDeclContext()->getRedeclContext()->isStdNamespace())
      return sizeOf(p->getPointeeType(), ast);
  }
  return std::nullopt;
}

/// True when \p a and \p b denote the same value at the same point: the
/// same variable, member of the same object, no-argument method of the
/// same object (v.size()), or equal constants.
bool sameValue(const clang::Expr *a, const clang::Expr *b,
               const clang::ASTContext &ast, unsigned depth = 0) {
  if (depth > 8)
    return false;
  a = a->IgnoreParenImpCasts();
  b = b->IgnoreParenImpCasts();
  if (a->getType().isVolatileQualified() || b->getType().isVolatileQualified())
    return false; // may change between the two reads
  clang::Expr::EvalResult va;
  clang::Expr::EvalResult vb;
  if (!a->isValueDependent() && !b->isValueDependent() &&
      a->EvaluateAsInt(va, ast) && b->EvaluateAsInt(vb, ast))
    return llvm::APSInt::isSameValue(va.Val.getInt(), vb.Val.getInt());
  if (const auto *ca = llvm::dyn_cast<clang::CXXMemberCallExpr>(a)) {
    // Only a const method of the library (v.size()) answers the same twice.
    const auto *cb = llvm::dyn_cast<clang::CXXMemberCallExpr>(b);
    const clang::CXXMethodDecl *m = ca->getMethodDecl();
    return cb != nullptr && m != nullptr && m->isConst() &&
           ast.getSourceManager().isInSystemHeader(
               m->getCanonicalDecl()->getLocation()) &&
           ca->getNumArgs() == 0 && cb->getNumArgs() == 0 &&
           ca->getMethodDecl() == cb->getMethodDecl() &&
           sameValue(ca->getImplicitObjectArgument(),
                     cb->getImplicitObjectArgument(), ast, depth + 1);
  }
  return sameNamedObject(a, b);
}

/// `c.data()` of a standard container whose elements are contiguous, and
/// the size in bytes of one element; nullptr otherwise.
const clang::Expr *containerData(const clang::Expr *dest,
                                 const clang::ASTContext &ast,
                                 std::uint64_t &elementSize) {
  const auto *call =
      llvm::dyn_cast<clang::CXXMemberCallExpr>(dest->IgnoreParenCasts());
  if (call == nullptr)
    return nullptr;
  const clang::CXXMethodDecl *m = call->getMethodDecl();
  const clang::CXXRecordDecl *rec = call->getRecordDecl();
  if (m == nullptr || rec == nullptr || !m->getDeclName().isIdentifier() ||
      m->getName() != "data" || !rec->getDeclName().isIdentifier() ||
      !rec->getDeclContext()->getRedeclContext()->isStdNamespace())
    return nullptr;
  const llvm::StringRef kind = rec->getName();
  if (kind != "vector" && kind != "basic_string" && kind != "array" &&
      kind != "span")
    return nullptr;
  const auto *ptr = call->getType()->getAs<clang::PointerType>();
  const auto size = ptr ? sizeOf(ptr->getPointeeType(), ast) : std::nullopt;
  if (!size)
    return nullptr;
  elementSize = *size;
  return call->getImplicitObjectArgument()->IgnoreParenImpCasts();
}

/// What a length counts: bytes (memcpy's n) or elements (fread's count).
enum class Unit { Bytes, Elements };

/// True when \p len is no more than the bytes (or elements) of
/// \p container: its size(), size() * k with k no more than an element,
/// span's size_bytes(), or std::min of one of those.
bool withinContainer(const clang::Expr *len, const clang::Expr *container,
                     std::uint64_t elementSize, const clang::ASTContext &ast,
                     Unit unit, unsigned depth = 0) {
  if (depth > 8)
    return false;
  len = len->IgnoreParenImpCasts();
  auto sizeCall = [&](const clang::Expr *e, llvm::StringRef method) {
    const auto *c =
        llvm::dyn_cast<clang::CXXMemberCallExpr>(e->IgnoreParenImpCasts());
    const clang::CXXMethodDecl *m = c ? c->getMethodDecl() : nullptr;
    return m != nullptr && m->getDeclName().isIdentifier() &&
           m->getName() == method &&
           sameValue(c->getImplicitObjectArgument(), container, ast);
  };
  if (sizeCall(len, "size"))
    return true; // as bytes: no more than the elements' bytes
  if (unit == Unit::Elements)
    return false;
  if (sizeCall(len, "size_bytes"))
    return true;
  if (const auto *mul = llvm::dyn_cast<clang::BinaryOperator>(len);
      mul && mul->getOpcode() == clang::BO_Mul) {
    clang::Expr::EvalResult k;
    const clang::Expr *other = nullptr;
    if (mul->getRHS()->EvaluateAsInt(k, ast))
      other = mul->getLHS();
    else if (mul->getLHS()->EvaluateAsInt(k, ast))
      other = mul->getRHS();
    return other != nullptr && !k.Val.getInt().isNegative() &&
           k.Val.getInt().getLimitedValue() <= elementSize &&
           sizeCall(other, "size");
  }
  if (const auto *call = llvm::dyn_cast<clang::CallExpr>(len)) {
    const clang::FunctionDecl *fn = call->getDirectCallee();
    if (fn != nullptr && fn->getDeclName().isIdentifier() &&
        fn->getName() == "min" &&
        fn->getDeclContext()->getRedeclContext()->isStdNamespace() &&
        ast.getSourceManager().isInSystemHeader(
            fn->getCanonicalDecl()->getLocation()) &&
        call->getNumArgs() == 2 && call->getType()->isUnsignedIntegerType())
      return withinContainer(call->getArg(0), container, elementSize, ast, unit,
                             depth + 1) ||
             withinContainer(call->getArg(1), container, elementSize, ast, unit,
                             depth + 1);
  }
  return false;
}

/// An upper bound of \p e known at compile time.
class UpperBound {
public:
  explicit UpperBound(const clang::ASTContext &ast) : ast_(ast) {}

  std::optional<std::uint64_t> of(const clang::Expr *e, unsigned depth = 0) {
    if (depth > 16)
      return std::nullopt;
    e = e->IgnoreParenImpCasts();
    clang::Expr::EvalResult value;
    if (!e->isValueDependent() && e->EvaluateAsInt(value, ast_)) {
      if (value.Val.getInt().isNegative())
        return std::nullopt; // a negative length is a huge size_t
      return value.Val.getInt().getLimitedValue();
    }
    if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
      // A local that nothing changes after its initialiser (no
      // assignment, increment, non-const reference or address taken)
      // keeps the initialiser's value.
      const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      if (var != nullptr && var->hasLocalStorage() &&
          var->getType()->isUnsignedIntegerType() &&
          !llvm::isa<clang::ParmVarDecl>(var) && var->getInit() != nullptr &&
          !mutated(*var))
        return of(var->getInit(), depth + 1);
      return std::nullopt;
    }
    if (const auto *c = llvm::dyn_cast<clang::ConditionalOperator>(e))
      return ofConditional(*c, depth);
    if (const auto *b = llvm::dyn_cast<clang::BinaryOperator>(e))
      return ofBinary(*b, depth);
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(e))
      return ofCall(*call, depth);
    return std::nullopt;
  }

private:
  // `a < b ? a : b` and its mirror images: the branch taken is the smaller
  // operand, so the bounded operand bounds the result.
  std::optional<std::uint64_t>
  ofConditional(const clang::ConditionalOperator &c, unsigned depth) {
    const auto t = of(c.getTrueExpr(), depth + 1);
    const auto f = of(c.getFalseExpr(), depth + 1);
    if (t && f)
      return std::max(*t, *f);
    const auto *cmp = llvm::dyn_cast<clang::BinaryOperator>(
        c.getCond()->IgnoreParenImpCasts());
    // A signed comparison lets a negative length through as a huge size_t.
    if (cmp == nullptr || !cmp->isRelationalOp() ||
        !c.getType()->isUnsignedIntegerType() ||
        !cmp->getLHS()->getType()->isUnsignedIntegerType())
      return std::nullopt;
    // Normalise to `small < large` (or <=) when the condition holds.
    const bool lessThan =
        cmp->getOpcode() == clang::BO_LT || cmp->getOpcode() == clang::BO_LE;
    const clang::Expr *small = lessThan ? cmp->getLHS() : cmp->getRHS();
    const clang::Expr *large = lessThan ? cmp->getRHS() : cmp->getLHS();
    auto same = [this](const clang::Expr *a, const clang::Expr *b) {
      return sameValue(a, b, ast_);
    };
    // cond ? small : large is min(small, large) either way: when the
    // condition fails, large is the smaller.
    if (!same(c.getTrueExpr(), small) || !same(c.getFalseExpr(), large))
      return std::nullopt;
    const auto bs = of(small, depth + 1);
    const auto bl = of(large, depth + 1);
    if (bs && bl)
      return std::min(*bs, *bl);
    return bs ? bs : bl;
  }

  std::optional<std::uint64_t> ofBinary(const clang::BinaryOperator &b,
                                        unsigned depth) {
    if (!b.getType()->isUnsignedIntegerType())
      return std::nullopt;
    const auto rhs = of(b.getRHS(), depth + 1);
    switch (b.getOpcode()) {
    case clang::BO_Rem: // x % n < n
      if (rhs && *rhs > 0)
        return *rhs - 1;
      return std::nullopt;
    case clang::BO_And: { // x & n <= n
      const auto lhs = of(b.getLHS(), depth + 1);
      if (lhs && rhs)
        return std::min(*lhs, *rhs);
      return lhs ? lhs : rhs;
    }
    default:
      return std::nullopt;
    }
  }

  std::optional<std::uint64_t> ofCall(const clang::CallExpr &call,
                                      unsigned depth) {
    const clang::FunctionDecl *fn = call.getDirectCallee();
    if (fn == nullptr || !fn->getDeclName().isIdentifier())
      return std::nullopt;
    if (!ast_.getSourceManager().isInSystemHeader(
            fn->getCanonicalDecl()->getLocation()))
      return std::nullopt; // the program's own strnlen or min proves nothing
    const llvm::StringRef name = fn->getName();
    const clang::DeclContext *dc = fn->getDeclContext()->getRedeclContext();
    if (name == "strnlen" && call.getNumArgs() == 2 && dc->isTranslationUnit())
      return of(call.getArg(1), depth + 1);
    if (name == "min" && dc->isStdNamespace() && call.getNumArgs() == 2 &&
        call.getType()->isUnsignedIntegerType()) {
      const auto a = of(call.getArg(0), depth + 1);
      const auto b = of(call.getArg(1), depth + 1);
      if (a && b)
        return std::min(*a, *b);
      return a ? a : b;
    }
    return std::nullopt;
  }

  bool mutated(const clang::VarDecl &var) {
    if (var.getType().isConstQualified())
      return false;
    const auto *fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(
        var.getParentFunctionOrMethod());
    const clang::Stmt *body = fn != nullptr ? fn->getBody() : nullptr;
    if (body == nullptr)
      return true;
    clang::ExprMutationAnalyzer analyzer(*body,
                                         const_cast<clang::ASTContext &>(ast_));
    return analyzer.isMutated(&var);
  }

  const clang::ASTContext &ast_;
};

std::string quotedSource(const clang::Expr *e, const clang::ASTContext &ast) {
  const clang::SourceManager &sm = ast.getSourceManager();
  const clang::CharSourceRange range =
      clang::CharSourceRange::getTokenRange(e->getSourceRange());
  const llvm::StringRef text =
      clang::Lexer::getSourceText(range, sm, ast.getLangOpts());
  if (text.empty() || text.size() > 60)
    return "the destination";
  return "'" + text.str() + "'";
}

/// True when \p s names \p object somewhere or calls a function of the
/// program's own (which may reach the object another way).
bool touches(const clang::Stmt *s, const clang::Expr *object,
             const clang::ASTContext &ast) {
  if (s == nullptr)
    return false;
  if (const auto *e = llvm::dyn_cast<clang::Expr>(s)) {
    if (sameValue(e, object, ast))
      return true;
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(e)) {
      const clang::FunctionDecl *fn = call->getDirectCallee();
      if (fn == nullptr || !ast.getSourceManager().isInSystemHeader(
                               fn->getCanonicalDecl()->getLocation()))
        return true;
    }
  }
  return std::ranges::any_of(s->children(), [&](const clang::Stmt *child) {
    return touches(child, object, ast);
  });
}

/// `memcpy(v.data(), grow(v), v.size())`: data() and size() are read at
/// different times, so no other argument may touch the container.
bool othersLeaveAlone(const clang::CallExpr &call, const ByteWriter &w,
                      const clang::Expr *container,
                      const clang::ASTContext &ast) {
  for (unsigned i = 0; i < call.getNumArgs(); ++i)
    if (i != w.dest && i != w.length && int(i) != w.count &&
        touches(call.getArg(i), container, ast))
      return false;
  return true;
}

class BoundedWritesRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R017"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(callExpr(callee(functionDecl().bind("fn"))).bind("call"),
                 this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn");
    const ByteWriter *writer = fn != nullptr ? findWriter(*fn) : nullptr;
    if (writer == nullptr)
      return;
    if (const auto *call = r.Nodes.getNodeAs<clang::CallExpr>("call")) {
      callees_.insert(call->getCallee()->IgnoreParenImpCasts());
      checkCall(*call, *writer, *r.Context);
    } else if (const auto *ref = r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")) {
      refs_.push_back({ref, writer});
    }
  }

  void checkTranslationUnit(clang::ASTContext &ast) override {
    const clang::SourceManager &sm = ast.getSourceManager();
    for (const auto &[ref, writer] : refs_) {
      if (callees_.contains(ref))
        continue;
      const std::string name(writer->name);
      report(sm, ref->getSourceRange(),
             "address of '" + name +
                 "' taken: the lengths of its calls "
                 "cannot be checked against their destinations",
             "call '" + name + "' directly");
    }
    refs_.clear();
    callees_.clear();
  }

private:
  void checkCall(const clang::CallExpr &call, const ByteWriter &w,
                 const clang::ASTContext &ast) {
    const auto needed = std::max<unsigned>(
        {w.dest, w.length, w.count < 0 ? 0U : unsigned(w.count)});
    if (call.isTypeDependent() || call.isValueDependent() ||
        call.getNumArgs() <= needed)
      return; // template patterns: their instantiations are checked
    const clang::SourceManager &sm = ast.getSourceManager();
    const clang::Expr *dest = call.getArg(w.dest);
    const std::string name(w.name);

    std::uint64_t elementSize = 0;
    if (const clang::Expr *container = containerData(dest, ast, elementSize);
        container != nullptr && othersLeaveAlone(call, w, container, ast)) {
      if (w.count < 0 && withinContainer(call.getArg(w.length), container,
                                         elementSize, ast, Unit::Bytes))
        return; // the container's own size
      // fread(v.data(), sizeof v[0], v.size(), f): k bytes per element.
      clang::Expr::EvalResult k;
      if (w.count >= 0 && call.getArg(w.length)->EvaluateAsInt(k, ast) &&
          !k.Val.getInt().isNegative()) {
        const std::uint64_t per = k.Val.getInt().getLimitedValue();
        const clang::Expr *count = call.getArg(unsigned(w.count));
        if ((per == 1 && withinContainer(count, container, elementSize, ast,
                                         Unit::Bytes)) ||
            (per <= elementSize &&
             withinContainer(count, container, elementSize, ast,
                             Unit::Elements)))
          return;
      }
    }

    UpperBound bound(ast);
    // A length that changes something as it is computed (n++, a call
    // through ?: twice) is not the value its bound was read from.
    const std::optional<std::uint64_t> bytes =
        call.getArg(w.length)->HasSideEffects(ast, false)
            ? std::nullopt
            : bound.of(call.getArg(w.length));
    const std::optional<std::uint64_t> count =
        w.count >= 0 ? bound.of(call.getArg(unsigned(w.count)))
                     : std::optional<std::uint64_t>(1);
    // The bytes it may write, when both bounds are known.
    std::uint64_t product = 0;
    const bool bounded = bytes.has_value() && count.has_value();
    // k bytes times n elements: a product that wraps bounds nothing.
    if (bounded && __builtin_mul_overflow(*bytes, *count, &product)) {
      report(sm, call.getSourceRange(),
             name + "'s size times count overflows 64 bits: it bounds "
                    "nothing",
             "pass a size and a count whose product is at most the "
             "destination's size");
      return;
    }
    const std::optional<std::uint64_t> extent = destinationExtent(dest, ast);
    if (bounded && extent) {
      if (product <= *extent)
        return;
      report(sm, call.getSourceRange(),
             name + " may write " + std::to_string(product) +
                 " bytes through " + quotedSource(dest, ast) + ", which has " +
                 std::to_string(*extent),
             "write at most the destination's size (sizeof of the "
             "object itself, not of what holds it)");
      return;
    }
    if (bounded && !extent) {
      report(sm, dest->getSourceRange(),
             name + " writes through " + quotedSource(dest, ast) +
                 ", whose size is not known here",
             "pass a typed object (&x, an array) so its size can be "
             "checked");
      return;
    }
    report(sm, call.getSourceRange(),
           name +
               "'s length is known only at run time and nothing bounds "
               "it by the size of " +
               quotedSource(dest, ast),
           "bound the length by a constant no larger than the destination: "
           "std::min(n, sizeof buf), n < sizeof buf ? n : sizeof buf, "
           "strnlen(s, N), or a const local initialised so; or write a "
           "container's own size (v.data(), v.size())");
  }

  struct Ref {
    const clang::DeclRefExpr *ref;
    const ByteWriter *writer;
  };
  std::vector<Ref> refs_;
  std::set<const clang::Expr *> callees_;
};

} // namespace

bool isCheckedByteWriter(std::string_view name) {
  return std::ranges::any_of(
      kWriters, [&](const ByteWriter &w) { return w.name == name; });
}

std::unique_ptr<Rule> makeBoundedWritesRule(RuleContext &ctx) {
  return std::make_unique<BoundedWritesRule>(ctx);
}

} // namespace kml::verify
