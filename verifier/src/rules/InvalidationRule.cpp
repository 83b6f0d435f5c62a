// KML-R019: nothing refers into a container across a change that may move
// or free its elements. A std::vector that grows reallocates, an erase
// frees, an unordered_map that rehashes moves its buckets, an optional
// that is reset destroys its value: a reference, a pointer, a view, a
// struct or lambda holding one, or a range-for's hidden iterators into the
// old storage then read and write freed heap memory, at CPL 0. The
// library's assertions do not see it (KML-R018 keeps iterators out of the
// program's code; this rule keeps the rest).
//
// A *watched region* is where something refers into a container C: the
// body of a range-for over C (or over a view of C), the rest of the block
// after a local is bound into C (or the rest of the if/for/while that
// declares it), and the body of a lambda handed to a call together with C
// (std::ranges::for_each(v, f), std::erase_if(v, f)). In a region the rule
// refuses whatever may change C under any name: a library member that
// changes the shape of C or of an object that may contain it or be inside
// it (vv.push_back while a reference into vv[0] lives), a non-const member
// of the program's own on an object that may contain C, handing such an
// object to a function as a non-const reference or pointer, moving from
// it, and calling the program's own code at all when C is not a local of
// its own (a global or a member the function may reach). Everywhere, a
// call may not be given a container and a reference into it together, and
// a view or pointer into a container may not be stored in another object.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace kml::verify {
namespace {

enum class Storage { None, Contiguous, Nodes, Hashed, Owner };

/// Declared by the library (a system header), not by the program.
bool sourceIsLibrary(const clang::Decl &d) {
  return d.getASTContext().getSourceManager().isInSystemHeader(d.getLocation());
}

clang::QualType plain(clang::QualType t) {
  return t.getNonReferenceType().getCanonicalType().getUnqualifiedType();
}

std::string classOf(clang::QualType t) {
  if (t.isNull() || t->isDependentType())
    return {};
  const auto *rec = plain(t)->getAsCXXRecordDecl();
  return rec != nullptr ? plainQualifiedName(*rec) : std::string();
}

/// How a standard type keeps what it owns (None: it owns nothing that can
/// move; std::array and the views never change shape).
Storage storageOf(clang::QualType t) {
  const std::string n = classOf(t);
  if (n == "std::vector" || n == "std::basic_string" || n == "std::deque")
    return Storage::Contiguous;
  if (n == "std::map" || n == "std::set" || n == "std::multimap" ||
      n == "std::multiset")
    return Storage::Nodes;
  if (n == "std::unordered_map" || n == "std::unordered_set" ||
      n == "std::unordered_multimap" || n == "std::unordered_multiset")
    return Storage::Hashed;
  if (n == "std::unique_ptr" || n == "std::shared_ptr" ||
      n == "std::__shared_ptr" || n == "std::__shared_ptr_access" ||
      n == "std::optional" || n == "std::variant")
    return Storage::Owner;
  return Storage::None;
}

bool isView(clang::QualType t) {
  const std::string n = classOf(t);
  return n == "std::basic_string_view" || n == "std::span";
}

/// Library members that may move, free or add what the object owns.
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

/// Does a value of \p outer hold a value of \p inner (itself, a member,
/// an element, an owned object)?
bool typeContains(clang::QualType outer, clang::QualType inner,
                  unsigned depth = 0) {
  outer = plain(outer);
  inner = plain(inner);
  if (outer == inner)
    return true;
  if (depth > 6 || outer->isDependentType())
    return false;
  if (const auto *arr = llvm::dyn_cast<clang::ArrayType>(outer.getTypePtr()))
    return typeContains(arr->getElementType(), inner, depth + 1);
  const auto *rec = outer->getAsCXXRecordDecl();
  if (rec == nullptr || !rec->hasDefinition())
    return false;
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec);
      spec != nullptr && sourceIsLibrary(*spec)) {
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
      if (a.getKind() == clang::TemplateArgument::Type &&
          typeContains(a.getAsType(), inner, depth + 1))
        return true;
    return false;
  }
  for (const clang::FieldDecl *f : rec->fields())
    if (typeContains(f->getType(), inner, depth + 1))
      return true;
  for (const clang::CXXBaseSpecifier &b : rec->bases())
    if (typeContains(b.getType(), inner, depth + 1))
      return true;
  return false;
}

/// Does a value of \p t hold, anywhere inside it or behind a pointer or
/// a view it is, a standard container or owner (something whose shape can
/// change)? `span<vector<int>>` and `S *` for a struct holding a string do.
bool holdsContainer(clang::QualType t, unsigned depth = 0) {
  if (t.isNull() || t->isDependentType() || depth > 6)
    return true;
  t = t.getNonReferenceType().getCanonicalType();
  if (t->isPointerType())
    return holdsContainer(t->getPointeeType(), depth + 1);
  if (t->isArrayType())
    return holdsContainer(
        clang::QualType(t->getArrayElementTypeNoTypeQual(), 0), depth + 1);
  if (storageOf(t) != Storage::None)
    return true;
  const auto *rec = t->getAsCXXRecordDecl();
  if (rec == nullptr)
    return false;
  if (!rec->hasDefinition())
    return true;
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec))
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
      if (a.getKind() == clang::TemplateArgument::Type &&
          holdsContainer(a.getAsType(), depth + 1))
        return true;
  if (sourceIsLibrary(*rec))
    return false;
  for (const clang::FieldDecl *f : rec->fields())
    if (holdsContainer(f->getType(), depth + 1))
      return true;
  for (const clang::CXXBaseSpecifier &b : rec->bases())
    if (holdsContainer(b.getType(), depth + 1))
      return true;
  return false;
}

/// Is everything a value of \p t holds or points to constant? Numbers,
/// pointers and views to const data (a string_view of a literal), arrays,
/// pairs and tuples of such, and structs of such with no mutable member.
/// A const or constexpr global of such a type can change nothing.
bool constantData(clang::QualType t, unsigned depth = 0) {
  if (t.isNull() || t->isDependentType() || depth > 6)
    return false;
  t = t.getCanonicalType();
  if (t->isReferenceType() || t->isPointerType()) {
    const clang::QualType to = t->getPointeeType();
    return to.isConstQualified() && !to->isFunctionType() &&
           constantData(to, depth + 1);
  }
  if (t->isArithmeticType() || t->isEnumeralType() || t->isNullPtrType())
    return true;
  if (t->isArrayType())
    return constantData(clang::QualType(t->getArrayElementTypeNoTypeQual(), 0),
                        depth + 1);
  const auto *rec = t->getAsCXXRecordDecl();
  if (rec == nullptr || !rec->hasDefinition() || rec->isLambda())
    return false;
  const std::string n = classOf(t);
  if (n == "std::basic_string_view")
    return true; // views const characters
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec);
      spec != nullptr && sourceIsLibrary(*spec)) {
    if (n != "std::array" && n != "std::pair" && n != "std::tuple" &&
        n != "std::span")
      return false;
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
      if (a.getKind() == clang::TemplateArgument::Type &&
          !((n != "std::span" || a.getAsType().isConstQualified()) &&
            constantData(a.getAsType(), depth + 1)))
        return false;
    return true;
  }
  if (sourceIsLibrary(*rec))
    return false;
  for (const clang::FieldDecl *f : rec->fields())
    if (f->isMutable() || !constantData(f->getType(), depth + 1))
      return false;
  for (const clang::CXXBaseSpecifier &b : rec->bases())
    if (!constantData(b.getType(), depth + 1))
      return false;
  return true;
}

/// Can a value of \p t refer into something else (a reference, a pointer,
/// a view, a lambda's captures, a struct or tuple holding one)?
bool mayHoldReference(clang::QualType t, unsigned depth = 0) {
  if (t.isNull() || t->isDependentType())
    return true;
  if (t->isReferenceType() || t->isPointerType() || t->isMemberPointerType())
    return true;
  t = plain(t);
  if (t->isArithmeticType() || t->isEnumeralType() || t->isNullPtrType())
    return false;
  if (depth > 6)
    return true;
  if (isView(t))
    return true;
  if (const auto *arr = llvm::dyn_cast<clang::ArrayType>(t.getTypePtr()))
    return mayHoldReference(arr->getElementType(), depth + 1);
  const auto *rec = t->getAsCXXRecordDecl();
  if (rec == nullptr || !rec->hasDefinition())
    return true;
  if (rec->isLambda())
    return true;
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec);
      spec != nullptr && sourceIsLibrary(*spec)) {
    const std::string n = classOf(t);
    if (n == "std::basic_string")
      return false;
    // Owning containers and vocabulary types: what their elements are.
    if (storageOf(t) == Storage::None && n != "std::pair" &&
        n != "std::tuple" && n != "std::array")
      return true; // proxies (vector<bool>'s reference), iterators...
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray()) {
      if (a.getKind() == clang::TemplateArgument::Type &&
          !classOf(a.getAsType()).starts_with("std::allocator") &&
          !classOf(a.getAsType()).starts_with("std::less") &&
          !classOf(a.getAsType()).starts_with("std::hash") &&
          !classOf(a.getAsType()).starts_with("std::equal_to") &&
          !classOf(a.getAsType()).starts_with("std::char_traits") &&
          mayHoldReference(a.getAsType(), depth + 1))
        return true;
      if (a.getKind() == clang::TemplateArgument::Pack)
        for (const clang::TemplateArgument &p : a.pack_elements())
          if (p.getKind() == clang::TemplateArgument::Type &&
              mayHoldReference(p.getAsType(), depth + 1))
            return true;
    }
    return false;
  }
  if (sourceIsLibrary(*rec))
    return true; // a library class we have not reviewed for this
  for (const clang::FieldDecl *f : rec->fields())
    if (mayHoldReference(f->getType(), depth + 1))
      return true;
  for (const clang::CXXBaseSpecifier &b : rec->bases())
    if (mayHoldReference(b.getType(), depth + 1))
      return true;
  return false;
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

/// Is \p t made of numbers and the library's classes alone (no class of
/// the program's own, no lambda, anywhere in it)?
bool onlyLibraryTypes(clang::QualType t, unsigned depth = 0) {
  if (t.isNull() || t->isDependentType() || depth > 6)
    return false;
  t = t.getNonReferenceType().getCanonicalType();
  while (t->isPointerType() || t->isArrayType())
    t = t->isPointerType()
            ? t->getPointeeType()
            : clang::QualType(t->getArrayElementTypeNoTypeQual(), 0);
  const auto *rec = t->getAsCXXRecordDecl();
  if (rec == nullptr)
    return !t->isFunctionType();
  if (!sourceIsLibrary(*rec) || rec->isLambda())
    return false;
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec))
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
      if (a.getKind() == clang::TemplateArgument::Type &&
          !onlyLibraryTypes(a.getAsType(), depth + 1))
        return false;
  return true;
}

/// The container or optional whose element \p e is (`v` for `v[0]`,
/// `v.at(1)`, `m[k]`, `*o`, `o.value()`), or nullptr. A standard
/// container's elements and an optional's value are parts of it: a const
/// one's are const. A smart pointer's pointee is not (another owner or a
/// copy may share it).
const clang::Expr *ownerOfPart(const clang::Expr *e) {
  const clang::Expr *object = nullptr;
  if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e);
      op != nullptr && op->getNumArgs() >= 1 &&
      (op->getOperator() == clang::OO_Subscript ||
       op->getOperator() == clang::OO_Star))
    object = op->getArg(0);
  else if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(e);
           m != nullptr && m->isGLValue())
    object = m->getImplicitObjectArgument();
  if (object == nullptr)
    return nullptr;
  const Storage storage = storageOf(object->getType());
  const bool partOfIt = storage == Storage::Contiguous ||
                        storage == Storage::Nodes ||
                        storage == Storage::Hashed ||
                        classOf(object->getType()) == "std::optional";
  return partOfIt ? object : nullptr;
}

/// The variable an object expression is part of (`s` for `s.v[0]`'s
/// `s.v`), or nullptr when it is reached through a pointer, a call...
const clang::VarDecl *rootVariable(const clang::Expr *e) {
  e = stripToObject(e);
  while (const auto *m = llvm::dyn_cast<clang::MemberExpr>(e)) {
    if (m->isArrow())
      return nullptr;
    e = stripToObject(m->getBase());
  }
  const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e);
  return r != nullptr ? llvm::dyn_cast<clang::VarDecl>(r->getDecl()) : nullptr;
}

/// A local variable of its own (not a reference, not a parameter).
bool isOwnLocal(const clang::VarDecl *v) {
  return v != nullptr && v->hasLocalStorage() &&
         !llvm::isa<clang::ParmVarDecl>(v) && !v->getType()->isReferenceType();
}

/// An object nobody may change: a variable declared const (not a
/// reference to const) of a type made of the library's classes alone, or a
/// part of one reached through no reference and no mutable member.
/// Changing it would take a const_cast (KML-R003), so its shape is fixed
/// while it lives. A class of the program's own is left out: its
/// constructor may keep a non-const `this` (or hand one out) before the
/// object becomes const. Its lifetime still ends: what refers into it is
/// still followed for that (stored views, rebinding).
bool isImmutable(const clang::Expr *e) {
  e = stripToObject(e);
  for (;;) {
    if (const auto *m = llvm::dyn_cast<clang::MemberExpr>(e)) {
      const auto *f = llvm::dyn_cast<clang::FieldDecl>(m->getMemberDecl());
      if (m->isArrow() || f == nullptr || f->isMutable() ||
          f->getType()->isReferenceType())
        return false;
      e = stripToObject(m->getBase());
    } else if (const clang::Expr *owner = ownerOfPart(e)) {
      e = stripToObject(owner);
    } else {
      break;
    }
  }
  const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e);
  const auto *v =
      r != nullptr ? llvm::dyn_cast<clang::VarDecl>(r->getDecl()) : nullptr;
  return v != nullptr && !v->getType()->isReferenceType() &&
         v->getType().isConstQualified() && onlyLibraryTypes(v->getType());
}

/// A temporary of the full-expression (a call's result, `"a" + s`) that
/// owns all it holds: it has no name, so only the expression that made it
/// can reach it. One holding views or pointers (a vector of spans) may
/// hold them into anything.
bool isTemporary(const clang::Expr *e) {
  const clang::Expr *t = stripToObject(e)->IgnoreImplicit();
  return t->isPRValue() && !mayHoldReference(t->getType());
}

/// May the object \p changed be the watched container \p watched, or
/// hold it (a struct, an optional, a vector of vectors)? A change to an
/// element inside the container (row.push_back() for a row of a grid) does
/// not move the container's own storage.
bool mayOverlap(const clang::Expr *changed, const clang::Expr *watched) {
  changed = stripToObject(changed);
  watched = stripToObject(watched);
  if (sameNamedObject(changed, watched))
    return true;
  clang::QualType tc = changed->getType();
  const clang::QualType tw = watched->getType();
  // `p->push_back()`, `o->push_back()`: the object is whatever p points to.
  if (tc->isPointerType())
    return typeContains(tc->getPointeeType(), tw);
  if (!typeContains(tc, tw))
    return false;
  // Two different variables of their own are two objects.
  const clang::VarDecl *rc = rootVariable(changed);
  const clang::VarDecl *rw = rootVariable(watched);
  if (rc != nullptr && rw != nullptr && rc != rw &&
      (isOwnLocal(rc) || isOwnLocal(rw)) &&
      !(rc->getType()->isReferenceType() || rw->getType()->isReferenceType()))
    return false;
  // A local of its own is none of what existed before it: a parameter's
  // referent, a global, a member through `this`.
  if (rc != nullptr && rw != nullptr && rc != rw) {
    auto older = [](const clang::VarDecl *v) {
      return llvm::isa<clang::ParmVarDecl>(v) || v->hasGlobalStorage();
    };
    if ((isOwnLocal(rc) && older(rw)) || (isOwnLocal(rw) && older(rc)))
      return false;
  }
  return true;
}

/// A container (or owner) expression the program refers into.
bool isWatchable(const clang::Expr *e) {
  return e != nullptr && storageOf(e->getType()) != Storage::None;
}

/// Finds the containers an expression refers into: the object of a member
/// call returning a reference, pointer or view (v[0], v.at(i), v.data(),
/// s.c_str(), *p, o.value()), a container a view is made from, std::get's
/// argument, and a container handed to a function of the program's own
/// that returns a reference, pointer or view (it may be into it).
/// Range-for loop variables and the range each one refers into.
using LoopVariables = std::map<const clang::VarDecl *, const clang::Expr *>;

class IntoContainer : public clang::RecursiveASTVisitor<IntoContainer> {
public:
  explicit IntoContainer(const clang::SourceManager &sm,
                         const LoopVariables *loops = nullptr,
                         unsigned depth = 0)
      : sm_(sm), loops_(loops), depth_(depth) {}
  std::vector<const clang::Expr *> found;

  /// Records a container the expression refers into.
  void add(const clang::Expr *container) { found.push_back(container); }

  // `p = q;`, `p = &r;`: a local that refers into a container passes
  // that on; so does a range-for's loop variable.
  bool VisitDeclRefExpr(clang::DeclRefExpr *ref) {
    const auto *var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    if (var == nullptr || !var->hasLocalStorage() || depth_ > 4 ||
        !mayHoldReference(var->getType()))
      return true;
    if (loops_ != nullptr)
      if (auto it = loops_->find(var); it != loops_->end()) {
        if (isWatchable(it->second))
          add(it->second);
        return true;
      }
    if (var->getInit() != nullptr && !llvm::isa<clang::ParmVarDecl>(var)) {
      IntoContainer inner(sm_, loops_, depth_ + 1);
      inner.TraverseStmt(const_cast<clang::Expr *>(var->getInit()));
      found.insert(found.end(), inner.found.begin(), inner.found.end());
    }
    return true;
  }

  bool TraverseCXXDefaultArgExpr(clang::CXXDefaultArgExpr *d) {
    return TraverseStmt(d->getExpr());
  }

  // A lambda refers into what its captures were initialised with, not
  // into what its body reads when it runs.
  bool TraverseLambdaExpr(clang::LambdaExpr *lambda) {
    for (clang::Expr *init : lambda->capture_inits())
      if (init != nullptr)
        TraverseStmt(init);
    return true;
  }

  bool VisitCXXMemberCallExpr(clang::CXXMemberCallExpr *call) {
    const clang::Expr *obj = call->getImplicitObjectArgument();
    const clang::QualType ret = call->getType();
    if (isWatchable(obj) && (call->isGLValue() || ret->isPointerType() ||
                             isView(ret) || mayHoldReference(ret)))
      add(obj);
    return true;
  }

  bool VisitCallExpr(clang::CallExpr *call) {
    const clang::FunctionDecl *fn = call->getDirectCallee();
    if (fn == nullptr || llvm::isa<clang::CXXMemberCallExpr>(call) ||
        llvm::isa<clang::CXXOperatorCallExpr>(call))
      return true;
    // std::get<T>(variant), std::data(v), the program's own accessor
    // `int &first(v)`: a call that returns something that may refer
    // into a container it was given.
    if (!(call->isGLValue() || mayHoldReference(call->getType())))
      return true;
    for (const clang::Expr *arg : call->arguments())
      if (isWatchable(arg) || typeContainsWatchable(arg))
        add(arg);
    return true;
  }

  bool VisitCXXOperatorCallExpr(clang::CXXOperatorCallExpr *call) {
    if (call->getNumArgs() < 1)
      return true;
    const clang::Expr *obj = call->getArg(0);
    switch (call->getOperator()) {
    case clang::OO_Star:
    case clang::OO_Arrow:
    case clang::OO_Subscript:
      if (isWatchable(obj))
        add(obj);
      break;
    case clang::OO_Call:
      // A lambda that returns a reference may return one into what it
      // captured by reference.
      if (call->isGLValue() || mayHoldReference(call->getType()))
        if (const auto *lambda = lambdaOf(obj))
          for (const clang::Expr *init : lambda->capture_inits())
            if (init != nullptr && isWatchable(init))
              add(init);
      break;
    default:
      break;
    }
    return true;
  }

  static const clang::LambdaExpr *lambdaOf(const clang::Expr *e) {
    e = e->IgnoreImplicit()->IgnoreParenImpCasts();
    if (const auto *l = llvm::dyn_cast<clang::LambdaExpr>(e))
      return l;
    const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e);
    const auto *v =
        r != nullptr ? llvm::dyn_cast<clang::VarDecl>(r->getDecl()) : nullptr;
    if (v == nullptr || v->getInit() == nullptr)
      return nullptr;
    return llvm::dyn_cast<clang::LambdaExpr>(
        v->getInit()->IgnoreImplicit()->IgnoreParenImpCasts());
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr *c) {
    if (!isView(c->getType()))
      return true;
    for (const clang::Expr *arg : c->arguments())
      if (isWatchable(arg))
        add(arg);
    return true;
  }

  // `std::string_view name = args[i]` over a vector of views, `int *p =
  // ptrs[0]`: a copy of an element that is itself a view or a pointer
  // refers to what the element refers to, not into the container that
  // holds the element. Only the access is passed over: its object and its
  // index are still looked into (`views_of(s)[0]`).
  bool TraverseCXXConstructExpr(clang::CXXConstructExpr *c) {
    const clang::CXXConstructorDecl *ctor = c->getConstructor();
    if (ctor != nullptr &&
        (ctor->isCopyConstructor() || ctor->isMoveConstructor()) &&
        c->getNumArgs() == 1 && isView(c->getType()))
      if (clang::Stmt *access = elementAccess(c->getArg(0)))
        return traverseChildren(access);
    return clang::RecursiveASTVisitor<IntoContainer>::TraverseCXXConstructExpr(
        c);
  }
  bool TraverseImplicitCastExpr(clang::ImplicitCastExpr *cast) {
    if (cast->getCastKind() == clang::CK_LValueToRValue &&
        cast->getType()->isPointerType())
      if (clang::Stmt *access = elementAccess(cast->getSubExpr()))
        return traverseChildren(access);
    return clang::RecursiveASTVisitor<IntoContainer>::TraverseImplicitCastExpr(
        cast);
  }

  // fopen(path.c_str(), "r"): the FILE is the C library's own object,
  // never a place inside the characters it was given. A list, not a
  // shape: localtime_r() and freopen() return their own pointer argument.
  bool TraverseCallExpr(clang::CallExpr *call) {
    const clang::FunctionDecl *fn = call->getDirectCallee();
    if (fn != nullptr && fn->isExternC() && sourceIsLibrary(*fn) &&
        fn->getDeclName().isIdentifier() && fn->getName() == "fopen")
      return true;
    return clang::RecursiveASTVisitor<IntoContainer>::TraverseCallExpr(call);
  }

private:
  /// The element access `v[i]`, `v.at(i)`, `v.front()`, `*o` that \p e is
  /// (as an lvalue of the element), or nullptr.
  static clang::Stmt *elementAccess(clang::Expr *e) {
    e = e->IgnoreParenImpCasts();
    if (auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e);
        op != nullptr && op->getNumArgs() >= 1 &&
        (op->getOperator() == clang::OO_Subscript ||
         op->getOperator() == clang::OO_Star) &&
        isWatchable(op->getArg(0)))
      return op;
    if (auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(e);
        m != nullptr && m->isGLValue() &&
        isWatchable(m->getImplicitObjectArgument()))
      return m;
    return nullptr;
  }

  bool traverseChildren(clang::Stmt *s) {
    for (clang::Stmt *child : s->children())
      if (!TraverseStmt(child))
        return false;
    return true;
  }

  static bool typeContainsWatchable(const clang::Expr *arg) {
    const auto *rec = plain(arg->getType())->getAsCXXRecordDecl();
    if (rec == nullptr || !rec->hasDefinition())
      return false;
    for (const clang::FieldDecl *f : rec->fields())
      if (storageOf(f->getType()) != Storage::None)
        return true;
    return false;
  }

  const clang::SourceManager &sm_;
  const LoopVariables *loops_;
  unsigned depth_;
};

/// Something refers into a container, and where it started to.
struct Watched {
  const clang::Expr *container;
  std::string why; // "the range-for at line 12 iterates over it"
  bool ownLocal;   // no function of the program's own can reach it
  bool immutable;  // a const object: nothing can change its shape
};

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

    bool TraverseDecl(clang::Decl *d) {
      if (d != nullptr && !llvm::isa<clang::TranslationUnitDecl>(d) &&
          sm_.isInSystemHeader(d->getLocation()))
        return true;
      const clang::FunctionDecl *saved = function_;
      if (auto *fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(d);
          fn != nullptr && fn->doesThisDeclarationHaveABody())
        function_ = fn;
      const bool ok = clang::RecursiveASTVisitor<Visitor>::TraverseDecl(d);
      function_ = saved;
      return ok;
    }

    bool VisitCXXForRangeStmt(clang::CXXForRangeStmt *s) {
      const clang::Expr *range = s->getRangeInit();
      if (range != nullptr && s->getLoopVariable() != nullptr)
        loops_[s->getLoopVariable()] = range;
      if (range == nullptr || !rule_.isApplication(sm_, s->getForLoc()))
        return true;
      std::vector<const clang::Expr *> watched;
      if (isWatchable(range) && !isImmutable(range))
        watched.push_back(range);
      IntoContainer into(sm_, &loops_);
      into.TraverseStmt(const_cast<clang::Expr *>(range));
      watched.insert(watched.end(), into.found.begin(), into.found.end());
      for (const clang::Expr *c : watched)
        scan(s->getBody(), watch(c, "the range-for at line " +
                                        std::to_string(line(s->getForLoc())) +
                                        " iterates over it"));
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
        for (const clang::Decl *d : decl->decls())
          if (const auto *var = llvm::dyn_cast<clang::VarDecl>(d))
            for (const Watched &w : watchesOf(*var))
              for (auto rest = std::next(it); rest != body.end(); ++rest)
                scan(*rest, w);
      }
      return true;
    }

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

    bool VisitBinaryOperator(clang::BinaryOperator *op) {
      if (op->getOpcode() == clang::BO_Assign)
        checkRebinding(op->getLHS(), op->getRHS(), op->getSourceRange());
      return true;
    }

    bool VisitCallExpr(clang::CallExpr *call) {
      if (!rule_.isApplication(sm_, call->getExprLoc()))
        return true;
      if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call);
          op != nullptr && op->getOperator() == clang::OO_Equal &&
          op->getNumArgs() == 2 && mayHoldReference(op->getArg(0)->getType()))
        checkRebinding(op->getArg(0), op->getArg(1), op->getSourceRange());
      checkContainerAndReferenceTogether(*call);
      checkElementToOwnCode(*call);
      checkStoredViews(*call);
      checkCallbacks(*call);
      return true;
    }

  private:
    Watched watch(const clang::Expr *c, std::string why) {
      const clang::VarDecl *root = rootVariable(c);
      return Watched{c, std::move(why),
                     isTemporary(c) || (isOwnLocal(root) && !escapes(*root)),
                     isImmutable(c)};
    }

    // Is the local's address taken, or a reference or lambda capture
    // bound to it, anywhere in the function?
    bool escapes(const clang::VarDecl &var) {
      const clang::Stmt *body =
          function_ != nullptr ? function_->getBody() : nullptr;
      return body == nullptr || escapesIn(body, var);
    }
    static bool escapesIn(const clang::Stmt *s, const clang::VarDecl &var) {
      if (s == nullptr)
        return false;
      if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(s);
          u != nullptr && u->getOpcode() == clang::UO_AddrOf &&
          rootVariable(u->getSubExpr()) == &var)
        return true;
      if (const auto *ds = llvm::dyn_cast<clang::DeclStmt>(s))
        for (const clang::Decl *d : ds->decls())
          if (const auto *v = llvm::dyn_cast<clang::VarDecl>(d);
              v != nullptr && v->getType()->isReferenceType() &&
              v->getInit() != nullptr && rootVariable(v->getInit()) == &var)
            return true;
      if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(s))
        for (const clang::LambdaCapture &c : lambda->captures())
          if (c.capturesVariable() && c.getCaptureKind() == clang::LCK_ByRef &&
              c.getCapturedVar() == &var)
            return true;
      for (const clang::Stmt *child : s->children())
        if (escapesIn(child, var))
          return true;
      return false;
    }

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
      if (var.getInit() == nullptr || !mayHoldReference(var.getType()))
        return out;
      for (const clang::Expr *c : containersIn(var.getInit()))
        out.push_back(watch(c, "'" + var.getNameAsString() + "' (line " +
                                   std::to_string(line(var.getLocation())) +
                                   ") refers into it"));
      return out;
    }

    void checkRebinding(const clang::Expr *lhs, const clang::Expr *rhs,
                        clang::SourceRange where) {
      if (!rule_.isApplication(sm_, where.getBegin()) ||
          !mayHoldReference(lhs->getType()))
        return;
      IntoContainer into(sm_, &loops_);
      into.TraverseStmt(const_cast<clang::Expr *>(rhs));
      if (into.found.empty())
        return;
      rule_.report(sm_, where,
                   "something that refers into a container assigned after "
                   "its declaration: the changes that may follow cannot be "
                   "tied to it",
                   "declare a new variable where it is bound ("
                   "`int *p = &v[0];`, `std::string_view s = str;`)");
    }

    // f(v, v[0]): inside f the two parameters are one object.
    void checkContainerAndReferenceTogether(const clang::CallExpr &call) {
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr)
        return;
      const unsigned shift = firstParameterArgument(call, *fn);
      for (unsigned i = shift; i < call.getNumArgs(); ++i) {
        if (i - shift >= fn->getNumParams())
          break;
        const clang::QualType param = fn->getParamDecl(i - shift)->getType();
        const bool writable =
            (param->isReferenceType() &&
             !param.getNonReferenceType().isConstQualified()) ||
            (param->isPointerType() &&
             !param->getPointeeType().isConstQualified());
        if (!writable)
          continue;
        const clang::Expr *arg = call.getArg(i)->IgnoreParenImpCasts();
        if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(arg);
            u != nullptr && u->getOpcode() == clang::UO_AddrOf)
          arg = u->getSubExpr();
        else if (arg->getType()->isPointerType())
          continue; // a pointer to elements (memcpy's) changes no shape
        if (!stripToObject(arg)->isGLValue())
          continue;
        for (unsigned j = 0; j < call.getNumArgs(); ++j) {
          if (j == i)
            continue;
          for (const clang::Expr *c : containersIn(call.getArg(j)))
            if (mayOverlap(arg, c)) {
              rule_.report(sm_, call.getSourceRange(),
                           "a container and something that refers into it "
                           "are given to one call, which may change the "
                           "first and then use the second",
                           "pass an index, or a copy of the element");
              return;
            }
        }
      }
    }

    // set(g[0]) where set() resizes g: a function of the program's own
    // given a reference into a container it can reach another way (a
    // global, a member, a parameter's referent) may change it and then
    // use the reference.
    void checkElementToOwnCode(const clang::CallExpr &call) {
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr ||
          !rule_.isApplication(sm_, fn->getCanonicalDecl()->getLocation()))
        return; // the library's, or an indirect call (R009 keeps those few)
      if (const auto *m = llvm::dyn_cast<clang::CXXMethodDecl>(fn);
          m != nullptr && m->getParent()->isLambda())
        return; // lambdas in regions are followed
      if (reachesOnlyWhatItIsGiven(fn))
        return; // and what it is given, the call's other checks look at
      const unsigned shift = firstParameterArgument(call, *fn);
      for (unsigned i = shift; i < call.getNumArgs(); ++i) {
        if (i - shift >= fn->getNumParams())
          break;
        if (!mayHoldReference(fn->getParamDecl(i - shift)->getType()))
          continue;
        for (const clang::Expr *c : containersIn(call.getArg(i))) {
          const clang::VarDecl *root = rootVariable(c);
          if (isTemporary(c) || isImmutable(c) ||
              (isOwnLocal(root) && !escapes(*root)))
            continue; // nothing else can reach (or change) it
          rule_.report(sm_, call.getSourceRange(),
                       "'" + fn->getNameAsString() +
                           "' is given a reference into a container it may "
                           "reach another way (a global, a member, a "
                           "parameter's referent), change, and then use the "
                           "reference",
                       "pass a copy of the element or an index");
          return;
        }
      }
    }

    // views.push_back(s): the vector now holds a view into s, which
    // nothing watches.
    void checkStoredViews(const clang::CallExpr &call) {
      const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call);
      const clang::CXXMethodDecl *md =
          m != nullptr ? m->getMethodDecl() : nullptr;
      static const std::set<std::string, std::less<>> kAdds{
          "push_back", "emplace_back", "push_front",  "emplace_front",
          "insert",    "emplace",      "try_emplace", "insert_or_assign"};
      if (md == nullptr || md->isConst() ||
          kAdds.count(md->getNameAsString()) == 0 ||
          !mayHoldReference(m->getImplicitObjectArgument()->getType()))
        return; // only a container of references, views or pointers keeps one
      for (const clang::Expr *arg : call.arguments()) {
        if (!mayHoldReference(arg->getType()) &&
            !isView(arg->IgnoreImpCasts()->getType()))
          continue;
        for (const clang::Expr *c : containersIn(arg))
          if (!sameNamedObject(c, m->getImplicitObjectArgument())) {
            rule_.report(sm_, call.getSourceRange(),
                         "a view, pointer or reference into a container is "
                         "stored in another object, which nothing watches",
                         "store a copy (std::string(s)) or an index");
            return;
          }
      }
    }

    // std::ranges::for_each(v, f), std::erase_if(v, pred): the library is
    // working on the container while the callback runs.
    void checkCallbacks(const clang::CallExpr &call) {
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr ||
          !sm_.isInSystemHeader(fn->getCanonicalDecl()->getLocation()))
        return;
      std::vector<const clang::Expr *> containers;
      std::vector<const clang::Stmt *> bodies;
      for (const clang::Expr *arg : call.arguments()) {
        const clang::Expr *e = stripToObject(arg);
        if (isWatchable(e)) {
          if (!isImmutable(e))
            containers.push_back(e);
          continue;
        }
        if (const clang::Stmt *body = lambdaBody(e))
          bodies.push_back(body);
      }
      for (const clang::Expr *c : containers)
        for (const clang::Stmt *body : bodies)
          scan(body, watch(c, "the library is working on it"));
    }

    static const clang::Stmt *lambdaBody(const clang::Expr *e) {
      e = e->IgnoreImplicit()->IgnoreParenImpCasts();
      if (const auto *c = llvm::dyn_cast<clang::CXXConstructExpr>(e);
          c != nullptr && c->getNumArgs() == 1)
        e = c->getArg(0)->IgnoreImplicit()->IgnoreParenImpCasts();
      if (const auto *l = llvm::dyn_cast<clang::LambdaExpr>(e))
        return l->getBody();
      if (const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(e))
        if (const auto *v = llvm::dyn_cast<clang::VarDecl>(r->getDecl());
            v != nullptr && v->getInit() != nullptr)
          if (const auto *l = llvm::dyn_cast<clang::LambdaExpr>(
                  v->getInit()->IgnoreImplicit()))
            return l->getBody();
      return nullptr;
    }

    /// The containers \p e refers into (IntoContainer's answer).
    std::vector<const clang::Expr *> containersIn(const clang::Expr *e) {
      IntoContainer into(sm_, &loops_);
      into.TraverseStmt(const_cast<clang::Expr *>(e));
      return into.found;
    }

    unsigned line(clang::SourceLocation loc) const {
      return sm_.getPresumedLoc(sm_.getExpansionLoc(loc)).getLine();
    }

    // Every call in \p s that may change \p w's container, following the
    // lambdas it calls.
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
      if (const auto *ds = llvm::dyn_cast<clang::DeclStmt>(s))
        for (const clang::Decl *d : ds->decls())
          if (const auto *v = llvm::dyn_cast<clang::VarDecl>(d))
            checkHiddenCode(v->getType(), v->getSourceRange(), w);
      if (const auto *t = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(s))
        checkHiddenCode(t->getType(), t->getSourceRange(), w);
      for (const clang::Stmt *child : s->children())
        scan(child, w, depth);
    }

    // A constructor or destructor of the program's own runs where nothing
    // calls it by name: making a local or a temporary, and at the end of
    // its scope. Like a call, it may reach a container that is not a local
    // of its own.
    void checkHiddenCode(clang::QualType t, clang::SourceRange where,
                         const Watched &w) {
      if (w.ownLocal || w.immutable || !runsProgramCode(t))
        return;
      report(where,
             "making or destroying a '" + t.getAsString() +
                 "' runs the program's own constructor or destructor, which "
                 "may reach the container another way, and",
             w);
    }

    void checkConstruction(const clang::CXXConstructExpr &c, const Watched &w) {
      checkHiddenCode(c.getType(), c.getSourceRange(), w);
      const clang::CXXConstructorDecl *ctor = c.getConstructor();
      if (w.immutable || ctor == nullptr || !ctor->isMoveConstructor() ||
          c.getNumArgs() == 0 || !mayOverlap(c.getArg(0), w.container))
        return;
      report(c.getSourceRange(), "moving from it", w);
    }

    void checkCall(const clang::CallExpr &call, const Watched &w) {
      if (w.immutable)
        return;
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr) {
        report(call.getSourceRange(), "an indirect call", w);
        return;
      }
      const bool library =
          sm_.isInSystemHeader(fn->getCanonicalDecl()->getLocation()) ||
          !rule_.isApplication(sm_, fn->getCanonicalDecl()->getLocation());
      const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(fn);
      const bool lambda = method != nullptr && method->getParent()->isLambda();
      // The library calling back into the program: a function, a function
      // pointer or an object of the program's own with an operator().
      if (library && !w.ownLocal)
        for (const clang::Expr *arg : call.arguments())
          if (llvm::isa<clang::LambdaExpr>(
                  stripToObject(arg)->IgnoreImplicit())) {
            continue; // written here: the region's own scan walks it
          } else if (const clang::Stmt *body = lambdaBody(arg)) {
            scan(body, w, 1);
          } else if (isProgramCallable(arg->getType())) {
            report(call.getSourceRange(),
                   "'" + fn->getNameAsString() +
                       "' calls back the program's own code, which may "
                       "reach the container another way, and",
                   w);
            return;
          }
      // The object of a member call, or of a member operator.
      const clang::Expr *object = nullptr;
      unsigned firstArg = 0;
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call))
        object = m->getImplicitObjectArgument();
      else if (llvm::isa<clang::CXXOperatorCallExpr>(call) &&
               method != nullptr && call.getNumArgs() > 0) {
        object = call.getArg(0);
        firstArg = 1;
      }
      if (object != nullptr && !lambda && mayOverlap(object, w.container)) {
        const std::string name = fn->getNameAsString();
        if (library ? changesShape(name, storageOf(object->getType()))
                    : (method != nullptr && !method->isConst())) {
          report(call.getSourceRange(), "'" + name + "'", w);
          return;
        }
      }
      // The program's own code may reach a container that is not a local
      // of its own (a global, a member, a parameter's referent).
      if (!library && !lambda && !w.ownLocal && !reachesOnlyWhatItIsGiven(fn)) {
        report(call.getSourceRange(),
               "calling '" + fn->getNameAsString() +
                   "', which may reach the container another way,",
               w);
        return;
      }
      // Handed over to be changed: a non-const reference or pointer.
      for (unsigned i = firstArg; i < call.getNumArgs(); ++i) {
        const unsigned p = i - firstArg;
        if (p >= fn->getNumParams())
          break;
        const clang::QualType param = fn->getParamDecl(p)->getType();
        const clang::Expr *arg = call.getArg(i)->IgnoreParenImpCasts();
        bool writable = false;
        if (param->isReferenceType() &&
            !param.getNonReferenceType().isConstQualified())
          writable =
              stripToObject(arg)->isGLValue() && mayOverlap(arg, w.container);
        else if (param->isPointerType() &&
                 !param->getPointeeType().isConstQualified())
          if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(arg);
              u != nullptr && u->getOpcode() == clang::UO_AddrOf)
            writable = mayOverlap(u->getSubExpr(), w.container);
        if (writable) {
          report(call.getSourceRange(),
                 "passing it to '" + fn->getNameAsString() + "'", w);
          return;
        }
      }
    }

    void report(clang::SourceRange where, const std::string &what,
                const Watched &w) {
      rule_.report(sm_, where,
                   what +
                       " may move or free what the container holds "
                       "while " +
                       w.why,
                   "finish with the reference, view or loop first, keep an "
                   "index instead, or collect the changes and apply them "
                   "after the loop");
    }

    // Can \p fn reach no container but through what it is given? A free
    // function (or a static member) whose parameters cannot reach a
    // container to change (numbers and plain structs by value or by
    // reference, views and const references of what holds no reference);
    // whose body names no global or static local but constant data, calls
    // only the library (on the library's own types, with no callback of
    // the program's) and functions like itself, and makes and destroys no
    // object whose constructor or destructor is the program's own. Such a
    // function cannot change a container behind a view it is given.
    bool reachesOnlyWhatItIsGiven(const clang::FunctionDecl *fn,
                                  unsigned depth = 0) {
      const clang::FunctionDecl *def = nullptr;
      if (fn == nullptr || !fn->hasBody(def) || def == nullptr || depth > 6)
        return false;
      if (auto known = reachesOnlyGiven_.find(def);
          known != reachesOnlyGiven_.end())
        return known->second;
      reachesOnlyGiven_[def] = false; // recursion: the worst until known
      const bool result = reachesOnlyGivenIn(*def, depth);
      reachesOnlyGiven_[def] = result;
      return result;
    }

    bool reachesOnlyGivenIn(const clang::FunctionDecl &fn, unsigned depth) {
      if (const auto *m = llvm::dyn_cast<clang::CXXMethodDecl>(&fn);
          m != nullptr && !m->isStatic())
        return false;
      for (const clang::ParmVarDecl *p : fn.parameters())
        if (!harmlessParameter(p->getType()) || p->hasDefaultArg())
          return false;
      BodyScan scan(*this, depth);
      scan.collectLambdas(fn.getBody());
      scan.TraverseStmt(fn.getBody());
      return scan.ok;
    }

    // A parameter through which no container can be changed: what holds
    // no reference and no container (by value or by reference), a const
    // reference to what holds no reference, or a view of what holds no
    // container (a string_view, a span<int>).
    bool harmlessParameter(clang::QualType t) const {
      const clang::QualType to = t.getNonReferenceType();
      if (to->isPointerType())
        return !holdsContainer(to->getPointeeType()) &&
               !mayHoldReference(to->getPointeeType());
      if (runsProgramCode(to))
        return false; // a copy's constructor and destructor
      if (isView(to))
        return !holdsContainer(to);
      if (t->isReferenceType() && to.isConstQualified())
        return !mayHoldReference(to);
      return !mayHoldReference(to) && !holdsContainer(to);
    }

    bool isProgram(const clang::Decl &d) const {
      return rule_.isApplication(sm_, d.getCanonicalDecl()->getLocation());
    }

    // Does a type involve a class of the program's own (its operators,
    // hash or destructor may run inside a library call)?
    bool involvesProgramType(clang::QualType t, unsigned depth = 0) const {
      if (t.isNull() || t->isDependentType() || depth > 6)
        return true;
      t = t.getNonReferenceType().getCanonicalType();
      while (t->isPointerType() || t->isArrayType())
        t = t->isPointerType()
                ? t->getPointeeType()
                : clang::QualType(t->getArrayElementTypeNoTypeQual(), 0);
      if (t->isFunctionType())
        return true; // a function pointer may be the program's
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr)
        return false;
      if (rec->isLambda() || isProgram(*rec))
        return true;
      if (const auto *spec =
              llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec))
        for (const clang::TemplateArgument &a :
             spec->getTemplateArgs().asArray())
          if (a.getKind() == clang::TemplateArgument::Type &&
              involvesProgramType(a.getAsType(), depth + 1))
            return true;
      return false;
    }

    // Does making, copying or destroying a value of \p t run code of the
    // program's own: a constructor or destructor it wrote, an in-class
    // initialiser that is not a constant, in the type or in any member,
    // base, element or capture of it?
    bool runsProgramCode(clang::QualType t, unsigned depth = 0) const {
      if (t.isNull() || t->isDependentType() || depth > 6)
        return true;
      t = t.getNonReferenceType().getCanonicalType();
      while (t->isArrayType())
        t = clang::QualType(t->getArrayElementTypeNoTypeQual(), 0);
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr)
        return false;
      if (!rec->hasDefinition())
        return true;
      if (!rec->isLambda() && !isProgram(*rec)) {
        if (const auto *spec =
                llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec))
          for (const clang::TemplateArgument &a :
               spec->getTemplateArgs().asArray())
            if (a.getKind() == clang::TemplateArgument::Type &&
                runsProgramCode(a.getAsType(), depth + 1))
              return true;
        return false;
      }
      for (const clang::CXXConstructorDecl *c : rec->ctors())
        if (c->isUserProvided())
          return true;
      if (const clang::CXXDestructorDecl *d = rec->getDestructor();
          d != nullptr && d->isUserProvided())
        return true;
      for (const clang::FieldDecl *f : rec->fields()) {
        if (f->hasInClassInitializer() &&
            (f->getInClassInitializer() == nullptr ||
             !f->getInClassInitializer()->isEvaluatable(rec->getASTContext())))
          return true;
        if (runsProgramCode(f->getType(), depth + 1))
          return true;
      }
      for (const clang::CXXBaseSpecifier &b : rec->bases())
        if (runsProgramCode(b.getType(), depth + 1))
          return true;
      return false;
    }

    // Something the library may call: a function (pointer or reference),
    // a lambda, or an object of the program's own with an operator().
    bool isProgramCallable(clang::QualType t) const {
      t = t.getNonReferenceType().getCanonicalType();
      if (t->isPointerType())
        t = t->getPointeeType();
      if (t->isFunctionType())
        return true;
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr)
        return false;
      if (rec->isLambda())
        return true;
      if (!isProgram(*rec) || !rec->hasDefinition())
        return false;
      for (const clang::CXXMethodDecl *m : rec->methods())
        if (m->getOverloadedOperator() == clang::OO_Call)
          return true;
      return false;
    }

    // The body of a function reachesOnlyWhatItIsGiven() looks at.
    class BodyScan : public clang::RecursiveASTVisitor<BodyScan> {
    public:
      BodyScan(Visitor &outer, unsigned depth) : outer_(outer), depth_(depth) {}
      bool ok = true;

      // The lambdas written in the body: calling one runs code this scan
      // walks; calling any other (a global's) does not.
      void collectLambdas(const clang::Stmt *s) {
        if (s == nullptr)
          return;
        if (const auto *l = llvm::dyn_cast<clang::LambdaExpr>(s))
          lambdas_.insert(l->getLambdaClass());
        for (const clang::Stmt *child : s->children())
          collectLambdas(child);
      }

      bool TraverseCXXDefaultArgExpr(clang::CXXDefaultArgExpr *d) {
        return TraverseStmt(d->getExpr());
      }
      bool TraverseCXXDefaultInitExpr(clang::CXXDefaultInitExpr *d) {
        return TraverseStmt(d->getExpr());
      }

      bool VisitDeclRefExpr(clang::DeclRefExpr *ref) {
        const clang::ValueDecl *d = ref->getDecl();
        if (const auto *v = llvm::dyn_cast<clang::VarDecl>(d)) {
          const clang::QualType t = v->getType();
          if (v->hasGlobalStorage() &&
              !((v->isConstexpr() || t.isConstQualified()) && constantData(t)))
            ok = false;
        } else if (const auto *fn = llvm::dyn_cast<clang::FunctionDecl>(d)) {
          checkFunction(*fn);
        }
        return ok;
      }
      bool VisitMemberExpr(clang::MemberExpr *m) {
        if (const auto *fn =
                llvm::dyn_cast<clang::FunctionDecl>(m->getMemberDecl()))
          checkFunction(*fn);
        return ok;
      }
      bool VisitCXXThisExpr(clang::CXXThisExpr *) {
        ok = false;
        return ok;
      }
      bool VisitCallExpr(clang::CallExpr *call) {
        const clang::FunctionDecl *fn = call->getDirectCallee();
        if (fn == nullptr) {
          ok = false; // an indirect call
          return ok;
        }
        if (!outer_.isProgram(*fn)) {
          if (outer_.involvesProgramType(call->getType()))
            ok = false;
          for (const clang::Expr *arg : call->arguments())
            if (outer_.involvesProgramType(arg->getType()))
              ok = false;
          if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(call);
              m != nullptr && outer_.involvesProgramType(
                                  m->getImplicitObjectArgument()->getType()))
            ok = false;
        }
        return ok;
      }
      bool VisitCXXConstructExpr(clang::CXXConstructExpr *c) {
        if (c->getConstructor() == nullptr ||
            outer_.runsProgramCode(c->getType()))
          ok = false;
        return ok;
      }
      bool VisitVarDecl(clang::VarDecl *v) {
        if (outer_.runsProgramCode(v->getType()))
          ok = false; // its destructor
        return ok;
      }
      bool VisitMaterializeTemporaryExpr(clang::MaterializeTemporaryExpr *t) {
        if (outer_.runsProgramCode(t->getType()))
          ok = false;
        return ok;
      }

    private:
      // A function of the program's own must be like the one scanned; a
      // lambda written in the body is walked where it is written.
      void checkFunction(const clang::FunctionDecl &fn) {
        if (!outer_.isProgram(fn))
          return;
        if (const auto *m = llvm::dyn_cast<clang::CXXMethodDecl>(&fn);
            m != nullptr && m->getParent()->isLambda() &&
            lambdas_.count(m->getParent()) != 0)
          return;
        if (!outer_.reachesOnlyWhatItIsGiven(&fn, depth_ + 1))
          ok = false;
      }

      Visitor &outer_;
      unsigned depth_;
      std::set<const clang::CXXRecordDecl *> lambdas_;
    };

    InvalidationRule &rule_;
    const clang::SourceManager &sm_;
    const clang::FunctionDecl *function_ = nullptr;
    LoopVariables loops_;
    std::map<const clang::FunctionDecl *, bool> reachesOnlyGiven_;
  };

  friend class Visitor;
};

} // namespace

std::unique_ptr<Rule> makeInvalidationRule(RuleContext &ctx) {
  return std::make_unique<InvalidationRule>(ctx);
}

} // namespace kml::verify
