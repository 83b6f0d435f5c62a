// KML-R019: nothing refers into a container across a change that may move
// or free its elements. A std::vector that grows reallocates, an erase
// frees, an unordered_map that rehashes moves its buckets: a reference, a
// pointer, a string_view or span, or a range-for's hidden iterators into
// the old storage then read and write freed heap memory, at CPL 0. The
// library's assertions do not see it (KML-R018 keeps iterators out of the
// program's code, this rule keeps the rest):
//   - in the body of a range-for over a named container, no call that may
//     change the container's shape (push_back, insert, erase, clear,
//     resize, reserve, assign, swap, operator=, a map's operator[]...) and
//     no passing it to a function as a non-const reference or pointer;
//   - after a local reference, pointer or view is bound into a named
//     container (`auto &r = v[0]`, `int *p = &v[0]`, `std::string_view s =
//     str`, `std::span sp = v`, `v.data()`), the same changes to that
//     container are refused for the rest of the block.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <set>
#include <string>
#include <vector>

namespace kml::verify {
namespace {

enum class Storage { None, Contiguous, Nodes, Hashed, Owner };

/// How a standard container keeps its elements (None: not one that owns
/// elements that can move; std::array and the views never change shape).
Storage storageOf(clang::QualType t) {
  if (t.isNull() || t->isDependentType())
    return Storage::None;
  const auto *rec = t.getNonReferenceType()->getAsCXXRecordDecl();
  if (rec == nullptr)
    return Storage::None;
  const std::string n = plainQualifiedName(*rec);
  if (n == "std::vector" || n == "std::basic_string" || n == "std::deque")
    return Storage::Contiguous;
  if (n == "std::map" || n == "std::set" || n == "std::multimap" ||
      n == "std::multiset")
    return Storage::Nodes;
  if (n == "std::unordered_map" || n == "std::unordered_set" ||
      n == "std::unordered_multimap" || n == "std::unordered_multiset")
    return Storage::Hashed;
  // Owners of one object: reset, assignment or emplace frees it.
  if (n == "std::unique_ptr" || n == "std::shared_ptr" ||
      n == "std::__shared_ptr" || n == "std::optional" || n == "std::variant")
    return Storage::Owner;
  return Storage::None;
}

/// Members that may move, free or add elements.
bool changesShape(const std::string &method, Storage storage) {
  static const std::set<std::string, std::less<>> kAlways{
      "push_back",     "emplace_back",
      "pop_back",      "push_front",
      "emplace_front", "pop_front",
      "insert",        "emplace",
      "emplace_hint",  "insert_or_assign",
      "try_emplace",   "erase",
      "clear",         "resize",
      "reserve",       "shrink_to_fit",
      "assign",        "swap",
      "append",        "operator+=",
      "replace",       "extract",
      "merge",         "rehash",
      "operator=",     "insert_range",
      "append_range",  "assign_range"};
  if (kAlways.count(method) != 0)
    return true;
  if (storage == Storage::Owner)
    return method == "reset" || method == "release";
  // A map's operator[] inserts a missing key.
  return method == "operator[]" &&
         (storage == Storage::Nodes || storage == Storage::Hashed);
}

/// The named object an expression reads: a variable, a member of one,
/// `*this` (the same shape KML-R018 accepts for whole-range pairs).
const clang::ValueDecl *rootOf(const clang::Expr *e) {
  e = e->IgnoreParenImpCasts();
  if (const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e))
    return llvm::dyn_cast<clang::VarDecl>(r->getDecl());
  if (const auto *m = llvm::dyn_cast<clang::MemberExpr>(e))
    return llvm::dyn_cast<clang::FieldDecl>(m->getMemberDecl());
  return nullptr;
}

/// The same named object: same variable, or same field of the same base.
bool sameObject(const clang::Expr *a, const clang::Expr *b) {
  a = a->IgnoreParenImpCasts();
  b = b->IgnoreParenImpCasts();
  if (const auto *ra = llvm::dyn_cast<clang::DeclRefExpr>(a)) {
    const auto *rb = llvm::dyn_cast<clang::DeclRefExpr>(b);
    return rb != nullptr && ra->getDecl()->getCanonicalDecl() ==
                                rb->getDecl()->getCanonicalDecl();
  }
  if (const auto *ma = llvm::dyn_cast<clang::MemberExpr>(a)) {
    const auto *mb = llvm::dyn_cast<clang::MemberExpr>(b);
    return mb != nullptr && ma->getMemberDecl() == mb->getMemberDecl() &&
           sameObject(ma->getBase(), mb->getBase());
  }
  if (const auto *ua = llvm::dyn_cast<clang::UnaryOperator>(a);
      ua != nullptr && ua->getOpcode() == clang::UO_Deref) {
    const auto *ub = llvm::dyn_cast<clang::UnaryOperator>(b);
    return ub != nullptr && ub->getOpcode() == clang::UO_Deref &&
           sameObject(ua->getSubExpr(), ub->getSubExpr());
  }
  return llvm::isa<clang::CXXThisExpr>(a) && llvm::isa<clang::CXXThisExpr>(b);
}

/// Strips what names the same object: parentheses, implicit conversions,
/// static_cast, std::move and std::forward.
const clang::Expr *stripToObject(const clang::Expr *e) {
  for (;;) {
    e = e->IgnoreParenImpCasts();
    if (const auto *c = llvm::dyn_cast<clang::CXXStaticCastExpr>(e)) {
      e = c->getSubExpr();
      continue;
    }
    if (const auto *call = llvm::dyn_cast<clang::CallExpr>(e)) {
      const clang::FunctionDecl *fn = call->getDirectCallee();
      if (fn != nullptr && fn->getDeclName().isIdentifier() &&
          (fn->getName() == "move" || fn->getName() == "forward") &&
          fn->getDeclContext()->getRedeclContext()->isStdNamespace() &&
          call->getNumArgs() == 1) {
        e = call->getArg(0);
        continue;
      }
    }
    return e;
  }
}

/// A local variable of its own (not a reference): no other name can
/// reach it except through a reference or pointer made from it.
const clang::VarDecl *ownLocal(const clang::Expr *e) {
  const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e);
  const auto *v =
      r != nullptr ? llvm::dyn_cast<clang::VarDecl>(r->getDecl()) : nullptr;
  if (v == nullptr || !v->hasLocalStorage() || v->getType()->isReferenceType())
    return nullptr;
  return v;
}

/// May \p a and \p b be the same object? The same name is; two distinct
/// local variables of their own are not; anything reached through a
/// reference, a pointer or a member may be, when the types agree.
bool mayAlias(const clang::Expr *a, const clang::Expr *b) {
  a = stripToObject(a);
  b = stripToObject(b);
  if (sameObject(a, b))
    return true;
  const clang::QualType ta = a->getType()
                                 .getNonReferenceType()
                                 .getCanonicalType()
                                 .getUnqualifiedType();
  const clang::QualType tb = b->getType()
                                 .getNonReferenceType()
                                 .getCanonicalType()
                                 .getUnqualifiedType();
  if (ta != tb)
    return false;
  const clang::VarDecl *la = ownLocal(a);
  const clang::VarDecl *lb = ownLocal(b);
  if (la != nullptr && lb != nullptr)
    return false; // two locals of their own
  // A local of its own is none of what existed before it: a member of
  // some object, a parameter's referent, a global.
  auto older = [](const clang::Expr *e) {
    if (llvm::isa<clang::MemberExpr>(e))
      return true;
    const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e);
    const auto *v =
        r != nullptr ? llvm::dyn_cast<clang::VarDecl>(r->getDecl()) : nullptr;
    return v != nullptr &&
           (llvm::isa<clang::ParmVarDecl>(v) || v->hasGlobalStorage());
  };
  if ((la != nullptr && older(b)) || (lb != nullptr && older(a)))
    return false;
  return true;
}

/// A container the program refers into, and where it started to.
struct Watched {
  const clang::Expr *container;
  std::string why; // "the range-for at line 12", "'r' (line 9)"
};

/// Finds the named containers an initialiser refers into: the object of
/// a member call returning a reference, pointer or view (v[0], v.at(i),
/// v.front(), v.data(), s.c_str()), a container a view is built from or
/// converted to (std::string_view sv = s; std::span sp = v), `&v[i]`.
class IntoContainer : public clang::RecursiveASTVisitor<IntoContainer> {
public:
  std::vector<const clang::Expr *> found;

  bool VisitCXXMemberCallExpr(clang::CXXMemberCallExpr *call) {
    const clang::Expr *obj = call->getImplicitObjectArgument();
    const clang::QualType ret = call->getType();
    if (obj != nullptr && storageOf(obj->getType()) != Storage::None &&
        rootOf(obj) != nullptr &&
        (call->isGLValue() || ret->isPointerType() || isView(ret)))
      found.push_back(obj);
    return true;
  }

  bool VisitCallExpr(clang::CallExpr *call) {
    // std::get<T>(variant) and friends hand out a reference into it.
    const clang::FunctionDecl *fn = call->getDirectCallee();
    if (fn != nullptr && fn->getDeclName().isIdentifier() &&
        fn->getName() == "get" && call->getNumArgs() == 1 &&
        fn->getDeclContext()->getRedeclContext()->isStdNamespace() &&
        storageOf(call->getArg(0)->getType()) != Storage::None &&
        rootOf(call->getArg(0)) != nullptr)
      found.push_back(call->getArg(0));
    return true;
  }

  bool VisitCXXOperatorCallExpr(clang::CXXOperatorCallExpr *call) {
    if ((call->getOperator() == clang::OO_Star ||
         call->getOperator() == clang::OO_Arrow) &&
        call->getNumArgs() >= 1 &&
        storageOf(call->getArg(0)->getType()) == Storage::Owner &&
        rootOf(call->getArg(0)) != nullptr) {
      found.push_back(call->getArg(0));
      return true;
    }
    if (call->getOperator() != clang::OO_Subscript || call->getNumArgs() < 1)
      return true;
    const clang::Expr *obj = call->getArg(0);
    if (storageOf(obj->getType()) != Storage::None && rootOf(obj) != nullptr)
      found.push_back(obj);
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr *c) {
    if (!isView(c->getType()))
      return true;
    for (const clang::Expr *arg : c->arguments())
      if (storageOf(arg->getType()) != Storage::None && rootOf(arg) != nullptr)
        found.push_back(arg);
    return true;
  }

  static bool isView(clang::QualType t) {
    const auto *rec = t.getNonReferenceType()->getAsCXXRecordDecl();
    if (rec == nullptr)
      return false;
    const std::string n = plainQualifiedName(*rec);
    return n == "std::basic_string_view" || n == "std::span";
  }
};

bool refersInto(const clang::VarDecl &var) {
  const clang::QualType t = var.getType();
  return t->isReferenceType() || t->isPointerType() || IntoContainer::isView(t);
}

class InvalidationRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R019"; }

  void checkTranslationUnit(clang::ASTContext &ast) override {
    Visitor v(*this, ast.getSourceManager());
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }

private:
  class Visitor : public clang::RecursiveASTVisitor<Visitor> {
  public:
    Visitor(InvalidationRule &rule, const clang::SourceManager &sm)
        : rule_(rule), sm_(sm) {}

    bool shouldVisitTemplateInstantiations() const { return true; }

    // The library's own code is not the program's: skipping the system
    // headers' declarations keeps the walk to the program's size.
    bool TraverseDecl(clang::Decl *d) {
      if (d != nullptr && !llvm::isa<clang::TranslationUnitDecl>(d) &&
          sm_.isInSystemHeader(d->getLocation()))
        return true;
      return clang::RecursiveASTVisitor<Visitor>::TraverseDecl(d);
    }

    bool VisitCXXForRangeStmt(clang::CXXForRangeStmt *s) {
      const clang::Expr *range = s->getRangeInit();
      if (range == nullptr || !rule_.isApplication(sm_, s->getForLoc()))
        return true;
      // The container itself, or those a view over it is made from
      // (`for (int &x : std::span(v))`).
      std::vector<const clang::Expr *> watched;
      if (storageOf(range->getType()) != Storage::None &&
          rootOf(range) != nullptr)
        watched.push_back(range);
      IntoContainer into;
      into.TraverseStmt(const_cast<clang::Expr *>(range));
      watched.insert(watched.end(), into.found.begin(), into.found.end());
      for (const clang::Expr *c : watched)
        scan(s->getBody(), Watched{c, "the range-for at line " +
                                          std::to_string(line(s->getForLoc())) +
                                          " iterates over it"});
      return true;
    }

    // if (auto &r = v[0]; ...), for (int *p = &v[0]; ...), while (auto
    // &r = ...): the variable lives for the whole statement.
    bool VisitIfStmt(clang::IfStmt *s) {
      watchStatement(s, s->getInit(), s->getConditionVariable());
      return true;
    }
    bool VisitSwitchStmt(clang::SwitchStmt *s) {
      watchStatement(s, s->getInit(), s->getConditionVariable());
      return true;
    }
    bool VisitWhileStmt(clang::WhileStmt *s) {
      watchStatement(s, nullptr, s->getConditionVariable());
      return true;
    }
    bool VisitForStmt(clang::ForStmt *s) {
      watchStatement(s, s->getInit(), s->getConditionVariable());
      return true;
    }

    // A pointer or view is bound into a container only where it is
    // declared: `p = &v[0];` later could be anywhere in the function.
    bool VisitBinaryOperator(clang::BinaryOperator *op) {
      if (op->getOpcode() == clang::BO_Assign)
        checkRebinding(op->getLHS(), op->getRHS(), op->getSourceRange());
      return true;
    }
    bool VisitCXXOperatorCallExpr(clang::CXXOperatorCallExpr *op) {
      if (op->getOperator() == clang::OO_Equal && op->getNumArgs() == 2 &&
          IntoContainer::isView(op->getArg(0)->getType()))
        checkRebinding(op->getArg(0), op->getArg(1), op->getSourceRange());
      return true;
    }

    bool VisitCompoundStmt(clang::CompoundStmt *block) {
      if (!rule_.isApplication(sm_, block->getLBracLoc()))
        return true;
      auto body = block->body();
      for (auto it = body.begin(); it != body.end(); ++it) {
        const auto *decl = llvm::dyn_cast<clang::DeclStmt>(*it);
        if (decl == nullptr)
          continue;
        for (const clang::Decl *d : decl->decls()) {
          const auto *var = llvm::dyn_cast<clang::VarDecl>(d);
          if (var == nullptr)
            continue;
          for (const Watched &w : watchesOf(*var))
            for (auto rest = std::next(it); rest != body.end(); ++rest)
              scan(*rest, w);
        }
      }
      return true;
    }

  private:
    void watchStatement(const clang::Stmt *s, const clang::Stmt *init,
                        const clang::VarDecl *condition) {
      if (!rule_.isApplication(sm_, s->getBeginLoc()))
        return;
      std::vector<const clang::VarDecl *> vars;
      if (const auto *decl = llvm::dyn_cast_or_null<clang::DeclStmt>(init))
        for (const clang::Decl *d : decl->decls())
          if (const auto *v = llvm::dyn_cast<clang::VarDecl>(d))
            vars.push_back(v);
      if (condition != nullptr)
        vars.push_back(condition);
      for (const clang::VarDecl *var : vars)
        for (const Watched &w : watchesOf(*var))
          for (const clang::Stmt *child : s->children())
            if (child != init)
              scan(child, w);
    }

    std::vector<Watched> watchesOf(const clang::VarDecl &var) {
      std::vector<Watched> out;
      if (var.getInit() == nullptr || !refersInto(var))
        return out;
      IntoContainer into;
      into.TraverseStmt(const_cast<clang::Expr *>(var.getInit()));
      for (const clang::Expr *c : into.found)
        out.push_back({c, "'" + var.getNameAsString() + "' (line " +
                              std::to_string(line(var.getLocation())) +
                              ") refers into it"});
      return out;
    }

    void checkRebinding(const clang::Expr *lhs, const clang::Expr *rhs,
                        clang::SourceRange where) {
      if (!rule_.isApplication(sm_, where.getBegin()))
        return;
      const clang::QualType t = lhs->getType();
      if (!t->isPointerType() && !IntoContainer::isView(t))
        return;
      IntoContainer into;
      into.TraverseStmt(const_cast<clang::Expr *>(rhs));
      if (into.found.empty())
        return;
      rule_.report(sm_, where,
                   "a pointer or view into a container assigned after its "
                   "declaration: the changes that may follow cannot be "
                   "tied to it",
                   "declare a new variable where it is bound ("
                   "`int *p = &v[0];`, `std::string_view s = str;`)");
    }

    unsigned line(clang::SourceLocation loc) const {
      return sm_.getPresumedLoc(sm_.getExpansionLoc(loc)).getLine();
    }

    // Every call in \p s that may change \p w's container, following
    // the lambdas it calls.
    void scan(const clang::Stmt *s, const Watched &w, unsigned depth = 0) {
      if (s == nullptr || depth > 8)
        return;
      if (const auto *call = llvm::dyn_cast<clang::CallExpr>(s)) {
        checkCall(*call, w);
        if (const auto *m = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(
                call->getDirectCallee());
            m != nullptr && m->getParent()->isLambda() && m->hasBody())
          scan(m->getBody(), w, depth + 1);
      }
      if (const auto *c = llvm::dyn_cast<clang::CXXConstructExpr>(s))
        checkConstruction(*c, w);
      for (const clang::Stmt *child : s->children())
        scan(child, w, depth);
    }

    // Moving out of the container empties it: `T other(std::move(v))`.
    void checkConstruction(const clang::CXXConstructExpr &c, const Watched &w) {
      const clang::CXXConstructorDecl *ctor = c.getConstructor();
      if (ctor == nullptr || !ctor->isMoveConstructor() ||
          c.getNumArgs() == 0 || !mayAlias(c.getArg(0), w.container))
        return;
      rule_.report(sm_, c.getSourceRange(),
                   "moving from the container frees what it held while " +
                       w.why,
                   "finish with the reference, view or loop first");
    }

    void checkCall(const clang::CallExpr &call, const Watched &w) {
      const Storage storage = storageOf(w.container->getType());
      const clang::Expr *object = nullptr;
      const clang::FunctionDecl *fn = call.getDirectCallee();
      unsigned firstArg = 0;
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call))
        object = m->getImplicitObjectArgument();
      else if (const auto *op =
                   llvm::dyn_cast<clang::CXXOperatorCallExpr>(&call);
               op != nullptr && fn != nullptr &&
               llvm::isa<clang::CXXMethodDecl>(fn) && op->getNumArgs() > 0) {
        object = op->getArg(0);
        firstArg = 1;
      }
      if (object != nullptr && fn != nullptr && mayAlias(object, w.container) &&
          changesShape(fn->getNameAsString(), storage)) {
        report(call, "'" + fn->getNameAsString() + "'", w);
        return;
      }
      // Handed over to be changed: a non-const reference or pointer.
      if (fn == nullptr)
        return;
      for (unsigned i = firstArg; i < call.getNumArgs(); ++i) {
        const unsigned p = i - firstArg;
        if (p >= fn->getNumParams())
          break;
        const clang::QualType param = fn->getParamDecl(p)->getType();
        const clang::Expr *arg = call.getArg(i)->IgnoreParenImpCasts();
        bool writable = false;
        if (param->isReferenceType() &&
            !param.getNonReferenceType().isConstQualified())
          writable = mayAlias(arg, w.container);
        else if (param->isPointerType() &&
                 !param->getPointeeType().isConstQualified())
          if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(arg);
              u != nullptr && u->getOpcode() == clang::UO_AddrOf)
            writable = mayAlias(u->getSubExpr(), w.container);
        if (writable) {
          report(call, "passing it to '" + fn->getNameAsString() + "'", w);
          return;
        }
      }
    }

    void report(const clang::CallExpr &call, const std::string &what,
                const Watched &w) {
      rule_.report(sm_, call.getSourceRange(),
                   what +
                       " may move or free the elements of its container "
                       "while " +
                       w.why,
                   "finish with the reference, view or loop first, keep an "
                   "index instead, or collect the changes and apply them "
                   "after the loop");
    }

    InvalidationRule &rule_;
    const clang::SourceManager &sm_;
  };

  friend class Visitor;
};

} // namespace

std::unique_ptr<Rule> makeInvalidationRule(RuleContext &ctx) {
  return std::make_unique<InvalidationRule>(ctx);
}

} // namespace kml::verify
