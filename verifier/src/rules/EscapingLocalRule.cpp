// KML-R011: no address of a local returned or stored where it outlives the
// local, and no reference left to a temporary that a call may hand back. A
// dangling stack address reads and writes whatever later occupies that
// slot. Clang's lifetime warnings are claimed; the rule adds what they do
// not follow: addresses through local pointer variables, and references
// bound to calls that may return a temporary argument (std::max(f(), 3)).
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

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
      static bool shouldVisitTemplateInstantiations() { return true; }
      bool TraverseFunctionDecl(clang::FunctionDecl *fn) {
        rule.aliases_.clear(); // flow-insensitive, per function
        return RecursiveASTVisitor::TraverseFunctionDecl(fn);
      }
      bool VisitVarDecl(clang::VarDecl *v) {
        if (v->getDeclContext()->isDependentContext())
          return true;
        if (v->hasLocalStorage() && !v->getType().isNull() &&
            v->getType()->isPointerType())
          if (const clang::VarDecl *local = localAddress(v->getInit()))
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
        const clang::VarDecl *local = localAddress(a->getRHS());
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
          !partOf(returned, param.getNonReferenceType(), ast))
        continue;
      if (mayBeTemporary(call->getArg(i)))
        return found();
    }
    return false;
  }

  /// May a \p part be the object of type \p whole itself, or a part of it
  /// (a member, an element, an owned value)? `firstOf(make())` returning
  /// `v[0]` of its `const std::vector<int> &` hands back a part of the
  /// temporary as surely as std::max hands back the temporary.
  static bool partOf(clang::QualType part, clang::QualType whole,
                     const clang::ASTContext &ast, int depth = 0) {
    if (ast.hasSameUnqualifiedType(part, whole))
      return true;
    whole = whole.getCanonicalType();
    if (depth > 6 || whole->isDependentType())
      return false;
    if (const auto *arr = llvm::dyn_cast<clang::ArrayType>(whole.getTypePtr()))
      return partOf(part, arr->getElementType(), ast, depth + 1);
    const auto *rec = whole->getAsCXXRecordDecl();
    if (rec == nullptr || !rec->hasDefinition())
      return false;
    if (const auto *spec =
            llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec))
      for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
        if (a.getKind() == clang::TemplateArgument::Type &&
            partOf(part, a.getAsType(), ast, depth + 1))
          return true;
    return std::ranges::any_of(rec->fields(),
                               [&](const clang::FieldDecl *f) {
                                 return partOf(
                                     part, f->getType().getNonReferenceType(),
                                     ast, depth + 1);
                               }) ||
           std::ranges::any_of(
               rec->bases(), [&](const clang::CXXBaseSpecifier &b) {
                 return partOf(part, b.getType(), ast, depth + 1);
               });
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
  static const clang::VarDecl *localAddress(const clang::Expr *e) {
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

} // namespace

std::unique_ptr<Rule> makeEscapingLocalRule(RuleContext &ctx) {
  return std::make_unique<EscapingLocalRule>(ctx);
}

} // namespace kml::verify
