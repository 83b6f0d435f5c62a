// Rules about memory safety: KML-R006 (pointer arithmetic, raw indexing),
// R010 (uninitialised reads), R011 (escaping locals), R012 (raw
// allocation).
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <map>

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

class UninitializedReadRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R010"; }
  // Clang's uninitialised-values analysis (CFG based) reports through these.
  std::vector<std::string> claimedWarnings() const override {
    return {"uninitialized", "sometimes-uninitialized",
            "conditional-uninitialized", "static-self-init",
            "uninitialized-const-reference"};
  }
};

class EscapingLocalRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R011"; }
  // Sema's lifetime checks cover returns and references bound to
  // temporaries; the matchers below cover stores.
  std::vector<std::string> claimedWarnings() const override {
    return {
        "return-stack-address",      "dangling",         "dangling-field",
        "dangling-initializer-list", "dangling-gsl",     "dangling-assignment",
        "dangling-assignment-gsl",   "return-local-addr"};
  }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(binaryOperator(hasOperatorName("=")).bind("assign"), this);
    f.addMatcher(
        varDecl(hasGlobalStorage(), hasInitializer(expr().bind("init")))
            .bind("static"),
        this);
    // References (through typedefs and decltype(auto) too), a range-for's
    // hidden `auto &&__range` and a structured binding's object included;
    // pointers, for `&std::max(f(), 3)`; returns of references; reference
    // members initialised in aggregates.
    f.addMatcher(varDecl(hasType(hasCanonicalType(
                             anyOf(referenceType(), pointerType()))),
                         hasInitializer(expr()))
                     .bind("reference"),
                 this);
    f.addMatcher(returnStmt(hasReturnValue(expr()),
                            forFunction(functionDecl(
                                returns(hasCanonicalType(referenceType())))))
                     .bind("return"),
                 this);
    f.addMatcher(initListExpr().bind("aggregate"), this);
  }

  // Addresses that travel through local pointer variables need source
  // order (matcher callbacks do not follow it), so a walk handles them.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    struct Walk : clang::RecursiveASTVisitor<Walk> {
      EscapingLocalRule &rule;
      const clang::SourceManager &sm;
      Walk(EscapingLocalRule &r, const clang::SourceManager &s)
          : rule(r), sm(s) {}
      bool shouldVisitTemplateInstantiations() const { return true; }
      bool TraverseFunctionDecl(clang::FunctionDecl *fn) {
        rule.aliases_.clear(); // flow-insensitive, per function
        return RecursiveASTVisitor::TraverseFunctionDecl(fn);
      }
      bool VisitVarDecl(clang::VarDecl *v) {
        if (v->getDeclContext()->isDependentContext())
          return true;
        if (v->hasLocalStorage() && !v->getType().isNull() &&
            v->getType()->isPointerType())
          if (const clang::VarDecl *local = rule.localAddress(v->getInit()))
            rule.aliases_[v] = local;
        return true;
      }
      bool VisitBinaryOperator(clang::BinaryOperator *a) {
        if (a->getOpcode() != clang::BO_Assign)
          return true;
        const clang::VarDecl *via = rule.alias(a->getRHS());
        if (via && outlives(a->getLHS())) {
          rule.report(sm, a->getSourceRange(),
                      "address of local '" + via->getNameAsString() +
                          "' is stored (through a pointer variable) where it "
                          "outlives the variable",
                      "store a copy of the value, or make the storage static");
          return true;
        }
        const clang::VarDecl *local = rule.localAddress(a->getRHS());
        if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(
                a->getLHS()->IgnoreParenImpCasts()))
          if (const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
              local && var && var->hasLocalStorage() &&
              var->getType()->isPointerType())
            rule.aliases_[var] = local;
        return true;
      }
      bool VisitReturnStmt(clang::ReturnStmt *r) {
        // `return &x` is Sema's finding; `return p` with p = &x is ours.
        if (const clang::VarDecl *via = rule.alias(r->getRetValue()))
          rule.report(sm, r->getSourceRange(),
                      "returns a pointer holding the address of local '" +
                          via->getNameAsString() + "'",
                      "return by value or let the caller own the storage");
        return true;
      }
    } walk(*this, ast.getSourceManager());
    walk.TraverseDecl(ast.getTranslationUnitDecl());
    aliases_.clear();
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *a = r.Nodes.getNodeAs<clang::BinaryOperator>("assign")) {
      const clang::VarDecl *local = localAddress(a->getRHS());
      if (local && outlives(a->getLHS()))
        report(sm, a->getSourceRange(),
               "address of local '" + local->getNameAsString() +
                   "' is stored where it outlives the variable",
               "store a copy of the value, or make the storage static");
      return;
    }
    if (const auto *v = r.Nodes.getNodeAs<clang::VarDecl>("static")) {
      if (const clang::VarDecl *local =
              localAddress(r.Nodes.getNodeAs<clang::Expr>("init")))
        report(sm, v->getSourceRange(),
               "static '" + v->getNameAsString() +
                   "' keeps the address of local '" + local->getNameAsString() +
                   "'",
               "store a copy of the value instead");
    }
    if (const auto *v = r.Nodes.getNodeAs<clang::VarDecl>("reference"))
      checkReference(*v, *r.Context, sm);
    if (const auto *ret = r.Nodes.getNodeAs<clang::ReturnStmt>("return")) {
      std::string callee;
      if (temporaryThroughCall(ret->getRetValue(), *r.Context, callee, 0))
        reportDangling(sm, ret->getSourceRange(), "the returned reference",
                       callee);
    }
    if (const auto *list = r.Nodes.getNodeAs<clang::InitListExpr>("aggregate"))
      checkAggregate(*list, *r.Context, sm);
  }

private:
  /// Where Clang's -Wdangling stops: a reference bound to what a call
  /// returns by reference, while a temporary is bound to one of the call's
  /// reference parameters of that type, or is the object of a member
  /// call. The call may hand the temporary back (std::max, std::min,
  /// std::clamp, accessors), and it dies at the end of the statement.
  void checkReference(const clang::VarDecl &v, const clang::ASTContext &ast,
                      const clang::SourceManager &sm) {
    if (v.getDeclContext()->isDependentContext() || v.isInvalidDecl())
      return;
    const clang::Expr *init = v.getInit();
    if (v.getType()->isPointerType()) {
      // A pointer keeps the address of what the call returned.
      const auto *addr =
          llvm::dyn_cast_or_null<clang::UnaryOperator>(designator(init));
      if (addr == nullptr || addr->getOpcode() != clang::UO_AddrOf)
        return;
      init = addr->getSubExpr();
    }
    std::string callee;
    if (!temporaryThroughCall(init, ast, callee, 0))
      return;
    std::string who = "'" + v.getNameAsString() + "'";
    if (llvm::isa<clang::DecompositionDecl>(v))
      who = "the structured binding";
    else if (v.isImplicit())
      who = "the range of this for loop";
    reportDangling(sm, v.getSourceRange(), who, callee);
  }

  // `Holder h{std::max(f(), 3)};` with a reference member.
  void checkAggregate(const clang::InitListExpr &list,
                      const clang::ASTContext &ast,
                      const clang::SourceManager &sm) {
    const clang::RecordDecl *rd = list.getType()->getAsRecordDecl();
    if (rd == nullptr || list.isTypeDependent() || rd->isUnion())
      return;
    unsigned i = 0;
    for (const clang::FieldDecl *field : rd->fields()) {
      if (i >= list.getNumInits())
        break;
      const clang::Expr *init = list.getInit(i++);
      std::string callee;
      if (field->getType()->isReferenceType() &&
          temporaryThroughCall(init, ast, callee, 0))
        reportDangling(sm, init->getSourceRange(),
                       "member '" + field->getNameAsString() + "'", callee);
    }
  }

  void reportDangling(const clang::SourceManager &sm, clang::SourceRange range,
                      const std::string &who, const std::string &callee) {
    report(sm, range,
           who + " may refer to a temporary that '" + callee +
               "' returns by reference; the temporary is destroyed at the "
               "end of the statement",
           "keep the result by value, or name the temporary first");
  }

  /// Strips what does not change which object (or which object's part) an
  /// expression designates: casts that keep the object, parentheses, the
  /// right side of a comma, a member or element of it, a default argument.
  static const clang::Expr *designator(const clang::Expr *e) {
    for (int depth = 0; e != nullptr && depth < 64; ++depth) {
      e = e->IgnoreParens();
      if (const auto *w = llvm::dyn_cast<clang::ExprWithCleanups>(e))
        e = w->getSubExpr();
      else if (const auto *c = llvm::dyn_cast<clang::CastExpr>(e);
               c != nullptr &&
               (c->getCastKind() == clang::CK_NoOp ||
                c->getCastKind() == clang::CK_DerivedToBase ||
                c->getCastKind() == clang::CK_UncheckedDerivedToBase ||
                c->getCastKind() == clang::CK_ArrayToPointerDecay))
        e = c->getSubExpr();
      else if (const auto *b = llvm::dyn_cast<clang::BinaryOperator>(e);
               b != nullptr && b->getOpcode() == clang::BO_Comma)
        e = b->getRHS();
      else if (const auto *m = llvm::dyn_cast<clang::MemberExpr>(e);
               m != nullptr && !m->isArrow())
        e = m->getBase();
      else if (const auto *a = llvm::dyn_cast<clang::ArraySubscriptExpr>(e);
               a != nullptr && a->getBase()->getType()->isPointerType() &&
               llvm::isa<clang::ImplicitCastExpr>(a->getBase()->IgnoreParens()))
        e = a->getBase(); // an element of an array, not through a pointer
      else if (const auto *d = llvm::dyn_cast<clang::CXXDefaultArgExpr>(e))
        e = d->getExpr();
      else if (const auto *l = llvm::dyn_cast<clang::InitListExpr>(e);
               l != nullptr && l->getNumInits() == 1 &&
               !l->getType()->isRecordType())
        e = l->getInit(0); // const int &r{...}
      else
        return e;
    }
    return nullptr;
  }

  /// Whether the glvalue \p e may be a temporary handed back by a call
  /// (through nested calls and conditionals); \p callee names the call.
  static bool temporaryThroughCall(const clang::Expr *e,
                                   const clang::ASTContext &ast,
                                   std::string &callee, int depth) {
    e = designator(e);
    if (e == nullptr || depth > 8 || e->isTypeDependent() || !e->isGLValue())
      return false;
    if (const auto *c = llvm::dyn_cast<clang::AbstractConditionalOperator>(e))
      return temporaryThroughCall(c->getTrueExpr(), ast, callee, depth + 1) ||
             temporaryThroughCall(c->getFalseExpr(), ast, callee, depth + 1);
    const auto *call = llvm::dyn_cast<clang::CallExpr>(e);
    if (call == nullptr || call->getCallee() == nullptr)
      return false;
    // The called function's type: a direct callee's, or the type of the
    // function pointer or reference it is called through.
    const clang::FunctionDecl *fn = call->getDirectCallee();
    clang::QualType calleeType = call->getCallee()->getType();
    if (calleeType->isPointerType() || calleeType->isReferenceType())
      calleeType = calleeType->getPointeeType();
    const auto *proto = fn != nullptr
                            ? fn->getType()->getAs<clang::FunctionProtoType>()
                            : calleeType->getAs<clang::FunctionProtoType>();
    if (proto == nullptr)
      return false;
    const clang::QualType returned =
        proto->getReturnType().getNonReferenceType();
    auto mayBeTemporary = [&](const clang::Expr *arg) {
      const clang::Expr *d = designator(arg);
      return d != nullptr && (llvm::isa<clang::MaterializeTemporaryExpr>(d) ||
                              temporaryThroughCall(d, ast, callee, depth + 1));
    };
    const auto found = [&] {
      if (callee.empty())
        callee = fn != nullptr ? plainQualifiedName(*fn)
                               : std::string("a function pointer");
      return true;
    };
    // The object of a member call: an accessor returns part of it.
    if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(call))
      if (mayBeTemporary(m->getImplicitObjectArgument()))
        return found();
    // Arguments bound to reference parameters of the returned type. A
    // member operator's object is its first argument.
    const bool memberOperator = llvm::isa<clang::CXXOperatorCallExpr>(call) &&
                                fn != nullptr &&
                                llvm::isa<clang::CXXMethodDecl>(fn);
    for (unsigned i = 0; i < call->getNumArgs(); ++i) {
      if (memberOperator && i == 0) {
        if (mayBeTemporary(call->getArg(0)))
          return found();
        continue;
      }
      const unsigned p = memberOperator ? i - 1 : i;
      if (p >= proto->getNumParams())
        break;
      const clang::QualType param = proto->getParamType(p);
      if (!param->isReferenceType() ||
          !ast.hasSameUnqualifiedType(param.getNonReferenceType(), returned))
        continue;
      if (mayBeTemporary(call->getArg(i)))
        return found();
    }
    return false;
  }

  /// The local whose address the pointer variable \p e holds, if any.
  const clang::VarDecl *alias(const clang::Expr *e) const {
    if (!e)
      return nullptr;
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(e->IgnoreParenCasts());
    if (!ref)
      return nullptr;
    auto it = aliases_.find(llvm::dyn_cast<clang::VarDecl>(ref->getDecl()));
    return it == aliases_.end() ? nullptr : it->second;
  }

  /// The automatic variable whose address \p e evaluates to, if any.
  const clang::VarDecl *localAddress(const clang::Expr *e) const {
    // Template patterns have no values yet; their instantiations are
    // checked instead.
    if (!e || e->getType().isNull() || e->isTypeDependent() ||
        e->isValueDependent())
      return nullptr;
    e = e->IgnoreParenCasts();
    const clang::Expr *target = nullptr;
    if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(e);
        u && u->getOpcode() == clang::UO_AddrOf)
      target = u->getSubExpr()->IgnoreParenImpCasts();
    else if (e->getType()->isArrayType() || llvm::isa<clang::DeclRefExpr>(e))
      target = e; // an array name decays to its address
    if (!target)
      return nullptr;
    // &local.member and &local[i] still point into the local.
    while (true) {
      if (const auto *m = llvm::dyn_cast<clang::MemberExpr>(target);
          m && !m->isArrow())
        target = m->getBase()->IgnoreParenImpCasts();
      else if (const auto *s =
                   llvm::dyn_cast<clang::ArraySubscriptExpr>(target))
        target = s->getBase()->IgnoreParenImpCasts();
      else
        break;
    }
    const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(target);
    if (!ref)
      return nullptr;
    const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    if (!var || !var->hasLocalStorage() || var->getType()->isReferenceType())
      return nullptr;
    if (llvm::isa<clang::DeclRefExpr>(e) && !var->getType()->isArrayType())
      return nullptr; // plain value copy, not an address
    return var;
  }

  /// Whether the object \p lhs designates may live longer than the current
  /// function's locals: globals, statics, anything reached through a
  /// pointer or a reference parameter.
  static bool outlives(const clang::Expr *lhs) {
    if (!lhs || lhs->isTypeDependent())
      return false;
    const clang::Expr *e = lhs->IgnoreParenImpCasts();
    while (true) {
      if (const auto *m = llvm::dyn_cast<clang::MemberExpr>(e)) {
        if (m->isArrow())
          return true;
        e = m->getBase()->IgnoreParenImpCasts();
      } else if (const auto *s = llvm::dyn_cast<clang::ArraySubscriptExpr>(e)) {
        if (!s->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
          return true; // through a pointer
        e = s->getBase()->IgnoreParenImpCasts();
        if (const auto *c = llvm::dyn_cast<clang::ImplicitCastExpr>(e))
          e = c->getSubExpr()->IgnoreParenImpCasts();
      } else if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(e)) {
        return u->getOpcode() == clang::UO_Deref;
      } else if (const auto *ref = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
        const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
        if (!var)
          return false;
        return var->hasGlobalStorage() || var->getType()->isReferenceType();
      } else {
        return false;
      }
    }
  }

  std::map<const clang::VarDecl *, const clang::VarDecl *> aliases_;
};

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

void addMemoryRules(RuleContext &ctx,
                    std::vector<std::unique_ptr<Rule>> &rules) {
  rules.push_back(std::make_unique<PointerArithmeticRule>(ctx));
  rules.push_back(std::make_unique<UninitializedReadRule>(ctx));
  rules.push_back(std::make_unique<EscapingLocalRule>(ctx));
  rules.push_back(std::make_unique<RawAllocationRule>(ctx));
}

} // namespace kml::verify
