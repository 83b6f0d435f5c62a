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
#include <llvm/ADT/STLExtras.h>

#include <algorithm>
#include <functional>
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
  if (kAlways.contains(method))
    return true;
  if (storage == Storage::Owner)
    return method == "reset" || method == "release";
  // A map's operator[] inserts a missing key.
  return method == "operator[]" &&
         (storage == Storage::Nodes || storage == Storage::Hashed);
}

/// What a reference or pointer type \p t refers to; null for any other
/// type.
clang::QualType referent(clang::QualType t) {
  if (t->isReferenceType())
    return t.getNonReferenceType();
  if (t->isPointerType())
    return t->getPointeeType();
  return {};
}

/// \p t without reference, qualifiers' sugar and array extents: the type
/// of the objects a value of it is made of.
clang::QualType elementType(clang::QualType t) {
  t = t.getNonReferenceType().getCanonicalType();
  while (t->isArrayType())
    t = clang::QualType(t->getArrayElementTypeNoTypeQual(), 0);
  return t;
}

/// Whether \p part holds for a type a value of class \p rec is made of:
/// a template's type arguments and, when \p ownParts (a class of the
/// program's, whose members the rules may read), its fields and bases.
template <class Pred>
bool anyPart(const clang::CXXRecordDecl &rec, bool ownParts, Pred part) {
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(&rec))
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
      if (a.getKind() == clang::TemplateArgument::Type && part(a.getAsType()))
        return true;
  if (!ownParts)
    return false;
  return std::ranges::any_of(
             rec.fields(),
             [&](const clang::FieldDecl *f) { return part(f->getType()); }) ||
         std::ranges::any_of(rec.bases(),
                             [&](const clang::CXXBaseSpecifier &b) {
                               return part(b.getType());
                             });
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
  const bool library = sourceIsLibrary(*rec);
  if (library && !llvm::isa<clang::ClassTemplateSpecializationDecl>(rec))
    return false;
  // A class template of the program's: its members, not its arguments.
  if (!library)
    return std::ranges::any_of(rec->fields(),
                               [&](const clang::FieldDecl *f) {
                                 return typeContains(f->getType(), inner,
                                                     depth + 1);
                               }) ||
           std::ranges::any_of(
               rec->bases(), [&](const clang::CXXBaseSpecifier &b) {
                 return typeContains(b.getType(), inner, depth + 1);
               });
  return anyPart(*rec, false, [&](clang::QualType part) {
    return typeContains(part, inner, depth + 1);
  });
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
  return anyPart(*rec, !sourceIsLibrary(*rec), [&](clang::QualType part) {
    return holdsContainer(part, depth + 1);
  });
}

/// Does a value of \p t share what it owns (a shared_ptr, whose copies
/// elsewhere reach the same object) or hold a mutable member (changed
/// through a const path), anywhere inside it?
bool sharesOrMutable(clang::QualType t, unsigned depth = 0) {
  if (t.isNull() || t->isDependentType() || depth > 6)
    return true;
  t = elementType(t);
  const auto *rec = t->getAsCXXRecordDecl();
  if (rec == nullptr)
    return false;
  if (!rec->hasDefinition())
    return true;
  const std::string n = classOf(t);
  if (n == "std::shared_ptr" || n == "std::__shared_ptr" ||
      n == "std::weak_ptr" || n == "std::__weak_ptr")
    return true;
  const bool own = !sourceIsLibrary(*rec);
  if (own)
    for (const clang::FieldDecl *f : rec->fields())
      if (f->isMutable())
        return true;
  return anyPart(*rec, own, [&](clang::QualType part) {
    return sharesOrMutable(part, depth + 1);
  });
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
  if (sourceIsLibrary(*rec) && rec->isEmpty())
    return true; // a tag: std::nullopt, std::in_place
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec);
      spec != nullptr && sourceIsLibrary(*spec)) {
    if (n != "std::array" && n != "std::pair" && n != "std::tuple" &&
        n != "std::span")
      return false;
    return std::ranges::all_of(
        spec->getTemplateArgs().asArray(),
        [&](const clang::TemplateArgument &a) {
          return a.getKind() != clang::TemplateArgument::Type ||
                 ((n != "std::span" || a.getAsType().isConstQualified()) &&
                  constantData(a.getAsType(), depth + 1));
        });
  }
  if (sourceIsLibrary(*rec))
    return false;
  return std::ranges::all_of(rec->fields(),
                             [&](const clang::FieldDecl *f) {
                               return !f->isMutable() &&
                                      constantData(f->getType(), depth + 1);
                             }) &&
         std::ranges::all_of(rec->bases(),
                             [&](const clang::CXXBaseSpecifier &b) {
                               return constantData(b.getType(), depth + 1);
                             });
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
    if (n == "std::basic_string" || n == "std::chrono::duration" ||
        n == "std::chrono::time_point")
      return false; // characters; a count of ticks
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
          !classOf(a.getAsType()).starts_with("std::default_delete") &&
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
  return std::ranges::any_of(rec->fields(),
                             [&](const clang::FieldDecl *f) {
                               return mayHoldReference(f->getType(), depth + 1);
                             }) ||
         std::ranges::any_of(rec->bases(),
                             [&](const clang::CXXBaseSpecifier &b) {
                               return mayHoldReference(b.getType(), depth + 1);
                             });
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
    // `(s = t)` is s: an assignment returns its left operand.
    if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e);
        op != nullptr && op->isAssignmentOp() && op->getNumArgs() == 2) {
      e = op->getArg(0);
      continue;
    }
    if (const auto *b = llvm::dyn_cast<clang::BinaryOperator>(e);
        b != nullptr && b->isAssignmentOp()) {
      e = b->getLHS();
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
    // Through a pointer or a reference member the object is elsewhere.
    if (m->isArrow() || m->getMemberDecl()->getType()->isReferenceType())
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
  // What it holds must be its own: a const vector of spans views
  // containers that are not const.
  return v != nullptr && !v->getType()->isReferenceType() &&
         v->getType().isConstQualified() && onlyLibraryTypes(v->getType()) &&
         !mayHoldReference(v->getType()) && !sharesOrMutable(v->getType());
}

/// A temporary of the full-expression (a call's result, `"a" + s`) that
/// owns all it holds, alone: it has no name, so only the expression that
/// made it can reach it. One holding views or pointers (a vector of spans)
/// may hold them into anything, and a shared_ptr's copy shares its object.
bool isTemporary(const clang::Expr *e) {
  const clang::Expr *t = stripToObject(e)->IgnoreImplicit();
  return t->isPRValue() && !mayHoldReference(t->getType()) &&
         !sharesOrMutable(t->getType());
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
  // A temporary of class type is a new object, part of no other.
  if ((changed->IgnoreImplicit()->isPRValue() && tc->isRecordType()) ||
      (watched->IgnoreImplicit()->isPRValue() && tw->isRecordType()))
    return false;
  if (!typeContains(tc, tw))
    return false;
  // Two different variables of their own are two objects, unless one
  // refers to the other (a struct with a reference member, an iterator).
  const clang::VarDecl *rc = rootVariable(changed);
  const clang::VarDecl *rw = rootVariable(watched);
  auto alone = [](const clang::VarDecl *v) {
    return isOwnLocal(v) && !mayHoldReference(v->getType());
  };
  if (rc != nullptr && rw != nullptr && rc != rw && (alone(rc) || alone(rw)) &&
      !(rc->getType()->isReferenceType() || rw->getType()->isReferenceType()))
    return false;
  // A local of its own is none of what existed before it: a parameter's
  // referent, a global, a member through `this`.
  if (rc != nullptr && rw != nullptr && rc != rw) {
    auto older = [](const clang::VarDecl *v) {
      return llvm::isa<clang::ParmVarDecl>(v) || v->hasGlobalStorage();
    };
    if ((alone(rc) && older(rw)) || (alone(rw) && older(rc)))
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
  /// Whether a call's result may refer into something no argument
  /// explains (the program's own function returning into a global).
  using UnknownResult = std::function<bool(const clang::CallExpr &)>;

  explicit IntoContainer(const clang::SourceManager &sm,
                         const LoopVariables *loops = nullptr,
                         unsigned depth = 0, UnknownResult unknown = {})
      : sm_(sm), loops_(loops), depth_(depth), unknown_(std::move(unknown)) {}
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
      IntoContainer inner(sm_, loops_, depth_ + 1, unknown_);
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
    const bool refers = call->isGLValue() || ret->isPointerType() ||
                        isView(ret) || mayHoldReference(ret);
    // h.name() of the program's own class: an accessor hands out a part of
    // its object, which the object's non-const members may change.
    const clang::CXXMethodDecl *md = call->getMethodDecl();
    const bool programMethod =
        md != nullptr && !sourceIsLibrary(*md) && !md->getParent()->isLambda();
    if (refers && (isWatchable(obj) || programMethod))
      add(obj);
    if (refers && unknown_ && unknown_(*call))
      add(call);
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
    if (unknown_ && unknown_(*call))
      add(call);
    for (const clang::Expr *arg : call->arguments())
      if (holdsContainer(arg->getType()))
        add(arg);
    return true;
  }

  bool VisitCXXOperatorCallExpr(clang::CXXOperatorCallExpr *call) {
    if (call->getNumArgs() < 1)
      return true;
    const clang::Expr *obj = call->getArg(0);
    // An operator of the program's own that returns a reference, pointer
    // or view: into what it is given, or anywhere (like any function).
    if (const clang::FunctionDecl *fn = call->getDirectCallee();
        fn != nullptr && !sourceIsLibrary(*fn) &&
        !(llvm::isa<clang::CXXMethodDecl>(fn) &&
          llvm::cast<clang::CXXMethodDecl>(fn)->getParent()->isLambda()) &&
        (call->isGLValue() || mayHoldReference(call->getType()))) {
      for (const clang::Expr *arg : call->arguments())
        if (holdsContainer(arg->getType()))
          add(arg);
      if (unknown_ && unknown_(*call))
        add(call);
    }
    switch (call->getOperator()) {
    case clang::OO_Star:
    case clang::OO_Arrow:
    case clang::OO_Subscript:
      // A watchable object, or one whose operator is the program's own:
      // the program's own operator[] hands out a part of it.
      if (isWatchable(obj) || programsOwnMethod(*call))
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

  /// Does \p call call a member function of the program's own (neither
  /// the library's nor a lambda's call operator)?
  static bool programsOwnMethod(const clang::CallExpr &call) {
    const auto *md =
        llvm::dyn_cast_or_null<clang::CXXMethodDecl>(call.getDirectCallee());
    return md != nullptr && !sourceIsLibrary(*md) &&
           !md->getParent()->isLambda();
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
        namedContainer(op->getArg(0)))
      return op;
    if (auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(e);
        m != nullptr && m->isGLValue() &&
        namedContainer(m->getImplicitObjectArgument()))
      return m;
    return nullptr;
  }

  // A container of a variable's (`args`, `s.parts`): what its elements
  // view was followed where it was filled. One a call returns (`parts()`)
  // holds views nothing followed.
  static bool namedContainer(const clang::Expr *e) {
    return isWatchable(e) && rootVariable(e) != nullptr;
  }

  bool traverseChildren(clang::Stmt *s) {
    // llvm::all_of: a mutable Stmt's children are no std::ranges range
    // (their iterator's value_type is a reference).
    return llvm::all_of(s->children(), [this](clang::Stmt *child) {
      return TraverseStmt(child);
    });
  }

  const clang::SourceManager &sm_;
  const LoopVariables *loops_;
  unsigned depth_;
  UnknownResult unknown_;
};

/// Something refers into a container, and where it started to.
struct Watched {
  const clang::Expr *container;
  std::string why; // "the range-for at line 12 iterates over it"
  bool ownLocal;   // no function of the program's own can reach it
  bool immutable;  // a const object: nothing can change its shape
  bool unknown;    // what a call returned: it may be in any container
};

class InvalidationRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R019"; }

  void checkTranslationUnit(clang::ASTContext &ast) override {
    Visitor v(*this, ast.getSourceManager());
    v.collectProgramOperators(ast.getTranslationUnitDecl());
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }

private:
  class Visitor : public clang::RecursiveASTVisitor<Visitor> {
  public:
    Visitor(InvalidationRule &rule, const clang::SourceManager &sm)
        : rule_(rule), sm_(sm) {}

    static bool shouldVisitTemplateInstantiations() { return true; }

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
      // Only the range expression itself lives as long as the loop; a
      // view of a temporary (`trim(make())`, `string_view(make()).substr(1)`)
      // is left with the temporary gone. (A reference into one, through an
      // accessor, is KML-R011's.)
      const clang::Expr *whole = stripToObject(range)->IgnoreImplicit();
      for (const clang::Expr *c : whole->isPRValue()
                                      ? containersIn(range)
                                      : std::vector<const clang::Expr *>()) {
        const clang::Expr *t = stripToObject(c)->IgnoreImplicit();
        if (t != whole && t->isPRValue() && t->getType()->isRecordType()) {
          rule_.report(sm_, range->getSourceRange(),
                       "the range refers into a temporary that is destroyed "
                       "before the loop's body runs",
                       "name the temporary first, in a variable that "
                       "outlives the loop");
          break;
        }
      }
      std::vector<const clang::Expr *> watched;
      if (isWatchable(range) && !isImmutable(range))
        watched.push_back(range);
      IntoContainer into(sm_, &loops_, 0, unknownResult());
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
      for (auto *it = body.begin(); it != body.end(); ++it) {
        const auto *decl = llvm::dyn_cast<clang::DeclStmt>(*it);
        if (decl == nullptr)
          continue;
        for (const clang::Decl *d : decl->decls())
          if (const auto *var = llvm::dyn_cast<clang::VarDecl>(d))
            for (const Watched &w : watchesOf(*var))
              for (auto *rest = std::next(it); rest != body.end(); ++rest)
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

    // A global, static or thread_local view, pointer or reference into a
    // container outlives every region: nothing watches it.
    // `std::span<const int> s = std::span<const int>(make()).subspan(1);`:
    // a view or pointer kept in a variable, into a temporary that dies at
    // the end of the statement (Clang's -Wdangling, KML-R011, sees only
    // the direct conversion of the temporary).
    bool VisitVarDecl(clang::VarDecl *v) {
      if (rule_.isApplication(sm_, v->getLocation()) &&
          v->hasAttr<clang::CleanupAttr>()) {
        rule_.report(sm_, v->getSourceRange(),
                     "__attribute__((cleanup)) calls a function at the end "
                     "of the scope, where no call is written",
                     "use a class with a destructor");
        return true;
      }
      if (!rule_.isApplication(sm_, v->getLocation()) ||
          v->getInit() == nullptr || llvm::isa<clang::ParmVarDecl>(v) ||
          v->isImplicit() || !mayHoldReference(v->getType()) ||
          v->getDeclContext()->isDependentContext())
        return true;
      const std::vector<const clang::Expr *> into = containersIn(v->getInit());
      if (v->hasGlobalStorage() && !into.empty()) {
        rule_.report(sm_, v->getSourceRange(),
                     "'" + v->getNameAsString() +
                         "' refers into a container and lives as long as "
                         "the program: no change to the container is "
                         "watched against it",
                     "keep an index, or make it a local where it is used");
        return true;
      }
      if (!isView(v->getType()) && !v->getType()->isPointerType())
        return true; // R011 follows references bound through calls
      if (v->isCXXForRangeDecl())
        return true; // the range lives as long as the loop
      for (const clang::Expr *c : into) {
        const clang::Expr *t = stripToObject(c)->IgnoreImplicit();
        if (!t->isPRValue() || !t->getType()->isRecordType() ||
            directConversion(v->getInit(), t))
          continue;
        rule_.report(sm_, v->getSourceRange(),
                     "'" + v->getNameAsString() +
                         "' refers into a temporary that is destroyed at "
                         "the end of the statement",
                     "name the temporary first, in a variable that "
                     "outlives the view");
        return true;
      }
      return true;
    }

    // `std::string_view v = std::string("x")`: the view made from the
    // temporary itself, which Clang's -Wdangling reports (KML-R011).
    static bool directConversion(const clang::Expr *init,
                                 const clang::Expr *temporary) {
      const clang::Expr *e = init->IgnoreImplicit();
      if (llvm::isa<clang::InitListExpr>(e))
        return false; // `string_view sv{make()}`: -Wdangling misses braces
      if (const auto *c = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
        if (c->isListInitialization() || c->getNumArgs() < 1)
          return false;
        e = c->getArg(0)->IgnoreImplicit();
      }
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(e))
        e = m->getImplicitObjectArgument()->IgnoreImplicit();
      return stripToObject(e)->IgnoreImplicit() == temporary;
    }

    // The library finds what is declared in namespace std (an operator<
    // for std::pair<int, int> that std::sort then calls): the program's
    // code would run inside library calls that nothing sees as its own.
    // Specialising a library template for a program type is done in the
    // program's types, which the rule follows.
    bool VisitFunctionDecl(clang::FunctionDecl *fn) {
      if (!rule_.isApplication(sm_, fn->getLocation()) ||
          !fn->getDeclContext()->getRedeclContext()->isStdNamespace())
        return true;
      rule_.report(sm_, fn->getSourceRange(),
                   "'" + fn->getNameAsString() +
                       "' is declared in namespace std, where the library "
                       "may call it unseen",
                   "declare it in the program's own namespace");
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
      checkOutParameters(*call);
      checkCallbacks(*call);
      return true;
    }

  private:
    Watched watch(const clang::Expr *c, std::string why) {
      const clang::VarDecl *root = rootVariable(c);
      const auto *call =
          llvm::dyn_cast<clang::CallExpr>(stripToObject(c)->IgnoreImplicit());
      const bool unknown = call != nullptr && unknownResult()(*call);
      return Watched{
          c, std::move(why),
          !unknown && (isTemporary(c) || (isOwnLocal(root) && !escapes(*root))),
          isImmutable(c), unknown};
    }

    // Is the local's address taken, or a reference or lambda capture
    // bound to it, anywhere in the function?
    bool escapes(const clang::VarDecl &var) {
      const clang::Stmt *body =
          function_ != nullptr ? function_->getBody() : nullptr;
      return body == nullptr || escapesIn(body, var);
    }
    bool escapesIn(const clang::Stmt *s, const clang::VarDecl &var) {
      if (s == nullptr)
        return false;
      if (const auto *call = llvm::dyn_cast<clang::CallExpr>(s);
          call != nullptr && (handsOver(*call, var) || handsBack(*call, var)))
        return true;
      if (const auto *c = llvm::dyn_cast<clang::CXXConstructExpr>(s);
          c != nullptr && c->getConstructor() != nullptr &&
          isProgram(*c->getConstructor()))
        for (unsigned i = 0; i < c->getNumArgs(); ++i)
          if (i < c->getConstructor()->getNumParams() &&
              byAddress(c->getConstructor()->getParamDecl(i)->getType()) &&
              rootVariable(c->getArg(i)) == &var)
            return true;
      if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(s);
          u != nullptr && u->getOpcode() == clang::UO_AddrOf &&
          rootVariable(u->getSubExpr()) == &var)
        return true;
      if (const auto *ds = llvm::dyn_cast<clang::DeclStmt>(s))
        for (const clang::Decl *d : ds->decls())
          if (const auto *v = llvm::dyn_cast<clang::VarDecl>(d);
              v != nullptr && !v->isImplicit() && // a range-for's own range
              v->getType()->isReferenceType() && v->getInit() != nullptr &&
              rootVariable(v->getInit()) == &var)
            return true;
      if (const auto *lambda = llvm::dyn_cast<clang::LambdaExpr>(s))
        for (const clang::LambdaCapture &c : lambda->captures()) {
          if (!c.capturesVariable())
            continue;
          const auto *captured =
              llvm::dyn_cast<clang::VarDecl>(c.getCapturedVar());
          if (c.getCaptureKind() == clang::LCK_ByRef && captured == &var)
            return true;
          // [&w = v]: the init-capture is a reference bound to v.
          if (captured != nullptr && captured->isInitCapture() &&
              captured->getType()->isReferenceType() &&
              captured->getInit() != nullptr &&
              rootVariable(captured->getInit()) == &var)
            return true;
        }
      return std::ranges::any_of(s->children(), [&](const clang::Stmt *child) {
        return escapesIn(child, var);
      });
    }

    // The result of a call of the program's own that may refer into
    // something its arguments do not explain: a function that is not
    // known to reach only what it is given (it may return into a global).
    IntoContainer::UnknownResult unknownResult() {
      return [this](const clang::CallExpr &call) {
        const clang::FunctionDecl *fn = call.getDirectCallee();
        if (fn == nullptr)
          return true; // through a pointer: anything
        return isProgram(*fn) && !reachesOnlyWhatItIsGiven(fn) &&
               !cLibraryObject(call.getType());
      };
    }

    // A pointer to a C library object (a FILE, a struct tm): no container
    // of the program's holds one.
    static bool cLibraryObject(clang::QualType t) {
      t = t.getNonReferenceType();
      if (!t->isPointerType())
        return false;
      const auto *rec = t->getPointeeType()->getAsRecordDecl();
      return rec != nullptr && sourceIsLibrary(*rec) &&
             rec->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
             rec->getDeclName().isIdentifier() &&
             rec->getName() == "_IO_FILE"; // only fopen makes one
    }

    bool ownLocalObject(const clang::Expr *object) {
      const clang::VarDecl *root = rootVariable(object);
      return isOwnLocal(root) && !escapes(*root);
    }

    // Does a call hand the local \p var to code of the program's own that
    // may keep its address (a reference or pointer parameter, or `this` of
    // a member function)? A function that reaches only what it is given
    // keeps nothing.
    bool handsOver(const clang::CallExpr &call, const clang::VarDecl &var) {
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr || !isProgram(*fn) || reachesOnlyWhatItIsGiven(fn))
        return false;
      // Its own member function may keep `this` in the object itself (no
      // one else reaches it there), but nowhere outside.
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call);
          m != nullptr && rootVariable(m->getImplicitObjectArgument()) == &var)
        return !reachesOnlyWhatItIsGiven(fn, 0, /*selfMayKeep=*/true);
      const unsigned shift = firstParameterArgument(call, *fn);
      if (shift == 1 && call.getNumArgs() > 0 &&
          rootVariable(call.getArg(0)) == &var)
        return true; // a member operator's object
      for (unsigned i = shift; i < call.getNumArgs(); ++i) {
        if (i - shift >= fn->getNumParams())
          break;
        if (!byAddress(fn->getParamDecl(i - shift)->getType()))
          continue;
        const clang::Expr *arg = call.getArg(i)->IgnoreParenImpCasts();
        if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(arg);
            u != nullptr && u->getOpcode() == clang::UO_AddrOf)
          arg = u->getSubExpr();
        if (rootVariable(arg) == &var)
          return true;
      }
      return false;
    }
    // `S *p = s.self()`, `addr(v)`, `std::tie(v)`, `std::back_inserter(v)`:
    // a call given the local by reference whose result may hold the local
    // itself (a pointer or reference to its type, or an object holding
    // one) hands its address back out.
    static bool handsBack(const clang::CallExpr &call,
                          const clang::VarDecl &var) {
      // An assignment's result is its left operand, which stripToObject()
      // sees through wherever the result is bound.
      if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(&call);
          op != nullptr && op->isAssignmentOp())
        return false;
      clang::QualType result = call.getType();
      if (result->isPointerType())
        result = result->getPointeeType();
      if (!(call.isGLValue() || call.getType()->isPointerType() ||
            mayHoldReference(call.getType())) ||
          !typeContains(result, var.getType()))
        return false;
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call);
          m != nullptr && rootVariable(m->getImplicitObjectArgument()) == &var)
        return true;
      for (const clang::Expr *arg : call.arguments()) {
        const clang::Expr *a = arg->IgnoreParenImpCasts();
        if (const auto *u = llvm::dyn_cast<clang::UnaryOperator>(a);
            u != nullptr && u->getOpcode() == clang::UO_AddrOf)
          a = u->getSubExpr();
        if (a->isGLValue() && rootVariable(a) == &var)
          return true;
      }
      return false;
    }

    static bool byAddress(clang::QualType param) {
      return param->isReferenceType() || param->isPointerType();
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
      IntoContainer into(sm_, &loops_, 0, unknownResult());
      into.TraverseStmt(const_cast<clang::Expr *>(rhs));
      if (into.found.empty()) {
        checkParameterKept(lhs, rhs, where);
        return;
      }
      rule_.report(sm_, where,
                   "something that refers into a container assigned after "
                   "its declaration: the changes that may follow cannot be "
                   "tied to it",
                   "declare a new variable where it is bound ("
                   "`int *p = &v[0];`, `std::string_view s = str;`)");
    }

    // `gp = &x;`, `view_ = in;` with x, in parameters: what the caller
    // gave (an element, a view of its string) is kept past the call in
    // something that is not a local, and nothing at the caller watches it.
    void checkParameterKept(const clang::Expr *lhs, const clang::Expr *rhs,
                            clang::SourceRange where) {
      const clang::VarDecl *root = rootVariable(lhs);
      if (root != nullptr && isOwnLocal(root))
        return; // a local dies with the call
      if (!refersToParameter(rhs))
        return;
      reportParameterKept(where);
    }
    static bool refersToParameter(const clang::Stmt *s, unsigned depth = 0) {
      if (s == nullptr || depth > 8)
        return false;
      if (const auto *r = llvm::dyn_cast<clang::DeclRefExpr>(s)) {
        if (const auto *p = llvm::dyn_cast<clang::ParmVarDecl>(r->getDecl());
            p != nullptr && mayHoldReference(p->getType()))
          return true;
        // `int *l = &x; gp = l;`: a local holding what the parameter
        // refers to passes it on.
        if (const auto *v = llvm::dyn_cast<clang::VarDecl>(r->getDecl());
            v != nullptr && v->hasLocalStorage() &&
            !llvm::isa<clang::ParmVarDecl>(v) &&
            mayHoldReference(v->getType()) && v->getInit() != nullptr)
          return refersToParameter(v->getInit(), depth + 1);
      }
      // A value read out of it (`*p`, `x + 1`, `in.size()`) is a copy.
      if (const auto *c = llvm::dyn_cast<clang::ImplicitCastExpr>(s);
          c != nullptr && c->getCastKind() == clang::CK_LValueToRValue &&
          !c->getType()->isPointerType())
        return false;
      if (llvm::isa<clang::CallExpr>(s) &&
          !mayHoldReference(llvm::cast<clang::CallExpr>(s)->getType()) &&
          !llvm::cast<clang::CallExpr>(s)->isGLValue())
        return false;
      return std::ranges::any_of(s->children(), [&](const clang::Stmt *child) {
        return refersToParameter(child, depth + 1);
      });
    }

    void reportTogether(const clang::CallExpr &call) {
      rule_.report(sm_, call.getSourceRange(),
                   "a container and something that refers into it are given "
                   "to one call, which may change the first and then use the "
                   "second",
                   "pass an index, or a copy of the element");
    }

    void reportParameterKept(clang::SourceRange where) {
      rule_.report(sm_, where,
                   "what a parameter refers to is kept past the call in "
                   "something that is not a local: the caller's container "
                   "may change or die under it",
                   "keep a copy (std::string(in)) or an index");
    }

    // f(v, v[0]): inside f the two parameters are one object.
    void checkContainerAndReferenceTogether(const clang::CallExpr &call) {
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr)
        return;
      // s.grow(s.v[0]): a non-const member of the program's own is given
      // its object to change, and a reference into it.
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call);
          m != nullptr && m->getMethodDecl() != nullptr &&
          !m->getMethodDecl()->isConst() && isProgram(*m->getMethodDecl()))
        for (const clang::Expr *arg : call.arguments())
          for (const clang::Expr *c : containersIn(arg))
            if (mayOverlap(m->getImplicitObjectArgument(), c)) {
              reportTogether(call);
              return;
            }
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
              reportTogether(call);
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
      // Every member that puts a value in: resize and assign copy one in
      // too, an emplace builds one from any argument.
      static const std::set<std::string, std::less<>> kPutsIn{
          "push_back",        "emplace_back", "push_front",   "emplace_front",
          "insert",           "emplace",      "emplace_hint", "try_emplace",
          "insert_or_assign", "resize",       "assign",       "assign_range",
          "append_range",     "insert_range", "operator=",    "operator[]"};
      if (md == nullptr || md->isConst() ||
          !kPutsIn.contains(md->getNameAsString()) ||
          !mayHoldReference(m->getImplicitObjectArgument()->getType()))
        return; // only a container of references, views or pointers keeps one
      const bool emplace = md->getNameAsString().starts_with("emplace") ||
                           md->getNameAsString() == "try_emplace";
      const clang::VarDecl *holder =
          rootVariable(m->getImplicitObjectArgument());
      for (const clang::Expr *arg : call.arguments()) {
        if (!emplace && !mayHoldReference(arg->getType()) &&
            !isView(arg->IgnoreImpCasts()->getType()))
          continue;
        // gptrs.push_back(&x) with x a parameter: the caller's object,
        // kept past the call.
        if ((holder == nullptr || !isOwnLocal(holder)) &&
            refersToParameter(arg)) {
          reportParameterKept(call.getSourceRange());
          return;
        }
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

    // keep(out, s) with `void keep(std::string_view &out, std::string_view
    // in) { out = in; }`, holder.set(s), std::swap(view, other): a view,
    // pointer or reference handed over to be changed may come back bound
    // into a container another argument refers into, which nothing
    // watches: the same as a rebinding by assignment.
    void checkOutParameters(const clang::CallExpr &call) {
      const clang::FunctionDecl *fn = call.getDirectCallee();
      if (fn == nullptr)
        return;
      std::vector<unsigned> outs;
      const unsigned shift = firstParameterArgument(call, *fn);
      const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(fn);
      const clang::Expr *object = nullptr;
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call))
        object = m->getImplicitObjectArgument();
      else if (shift == 1 && call.getNumArgs() > 0)
        object = call.getArg(0);
      // A library container of views being added to: checkStoredViews().
      // The C library keeps no C++ view.
      if (sourceIsLibrary(*fn) &&
          (llvm::isa<clang::CXXMemberCallExpr>(call) || fn->isExternC()))
        return;
      clang::QualType objectType =
          object != nullptr ? object->getType() : clang::QualType();
      if (!objectType.isNull() && objectType->isPointerType())
        objectType = objectType->getPointeeType(); // this->, p->
      const bool objectOut =
          object != nullptr && method != nullptr && !sourceIsLibrary(*method) &&
          (!method->isConst() || reachesOutside(objectType)) &&
          !method->getParent()->isLambda() && canKeepReference(objectType) &&
          !isView(objectType);
      for (unsigned i = shift; i < call.getNumArgs(); ++i) {
        if (i - shift >= fn->getNumParams())
          break;
        const clang::QualType param = fn->getParamDecl(i - shift)->getType();
        const clang::QualType to = referent(param);
        if (!to.isNull() && !to.isConstQualified() && !to->isVoidType() &&
            canKeepReference(to))
          outs.push_back(i);
      }
      const std::size_t allOuts = outs.size() + (objectOut ? 1 : 0);
      if (allOuts == 0)
        return;
      for (unsigned j = 0; j < call.getNumArgs(); ++j) {
        const bool isOut = std::ranges::find(outs, j) != outs.end() ||
                           (objectOut && j == 0 && shift == 1 &&
                            !llvm::isa<clang::CXXMemberCallExpr>(call));
        if (allOuts - (isOut ? 1 : 0) == 0 ||
            containersIn(call.getArg(j)).empty())
          continue;
        rule_.report(sm_, call.getSourceRange(),
                     "'" + fn->getNameAsString() +
                         "' is given something that refers into a container "
                         "and a view, pointer or reference it may change, "
                         "which may come back bound into the container "
                         "with nothing watching it",
                     "return the result by value, or pass an index");
        return;
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
      IntoContainer into(sm_, &loops_, 0, unknownResult());
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
      if (const auto *t = llvm::dyn_cast<clang::CXXBindTemporaryExpr>(s))
        checkHiddenCode(t->getType(), t->getSourceRange(), w);
      // A structured binding's get() calls are not the statement's
      // children.
      if (const auto *ds = llvm::dyn_cast<clang::DeclStmt>(s))
        for (const clang::Decl *d : ds->decls())
          if (const auto *dd = llvm::dyn_cast<clang::DecompositionDecl>(d))
            for (const clang::BindingDecl *b : dd->bindings()) {
              scan(b->getBinding(), w, depth);
              if (const clang::VarDecl *held = b->getHoldingVar())
                scan(held->getInit(), w, depth);
            }
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
      // The library calling back into the program: a function, a function
      // pointer or an object of the program's own with an operator().
      if (library && !w.ownLocal) {
        bool callsBack =
            libraryMayCallBack(call.getType()) ||
            (object != nullptr && libraryMayCallBack(object->getType()));
        for (const clang::Expr *arg : call.arguments())
          if (llvm::isa<clang::LambdaExpr>(
                  stripToObject(arg)->IgnoreImplicit()))
            continue; // written here: the region's own scan walks it
          else if (const clang::Stmt *body = lambdaBody(arg))
            scan(body, w, 1);
          else if (libraryMayCallBack(arg->getType()))
            callsBack = true;
        if (callsBack && !plainAccessor(*fn, object)) {
          report(call.getSourceRange(),
                 "'" + fn->getNameAsString() +
                     "' may call back the program's own code (a callable, "
                     "an operator, a constructor or destructor of its "
                     "types), which may reach the container another way, "
                     "and",
                 w);
          return;
        }
      }
      if (object != nullptr && !lambda &&
          (mayOverlap(object, w.container) ||
           (w.unknown && !ownLocalObject(object)))) {
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
                                  unsigned depth = 0,
                                  bool selfMayKeep = false) {
      const clang::FunctionDecl *def = nullptr;
      if (fn == nullptr || !fn->hasBody(def) || def == nullptr || depth > 6)
        return false;
      // A virtual call runs whichever override the object has.
      if (const auto *m = llvm::dyn_cast<clang::CXXMethodDecl>(fn);
          m != nullptr && m->isVirtual() && !m->hasAttr<clang::FinalAttr>() &&
          !m->getParent()->hasAttr<clang::FinalAttr>())
        return false;
      auto &memo = selfMayKeep ? keepsInSelf_ : reachesOnlyGiven_;
      if (auto known = memo.find(def); known != memo.end())
        return known->second;
      memo[def] = false; // recursion: the worst until known
      const bool result = reachesOnlyGivenIn(*def, depth, selfMayKeep);
      memo[def] = result;
      return result;
    }

    // \p selfMayKeep: the object may keep references (the question is
    // only whether `this` can end up outside it).
    bool reachesOnlyGivenIn(const clang::FunctionDecl &fn, unsigned depth,
                            bool selfMayKeep) {
      // A member function is given its object too: one that can keep no
      // reference, so that nothing given can be stored in it.
      bool member = false;
      if (const auto *m = llvm::dyn_cast<clang::CXXMethodDecl>(&fn);
          m != nullptr && !m->isStatic()) {
        const clang::QualType self =
            m->getParent()->getASTContext().getRecordType(m->getParent());
        // A reference or pointer member reaches outside the object.
        if (m->getParent()->isLambda() || reachesOutside(self) ||
            (!selfMayKeep && canKeepReference(self)) || sharesOrMutable(self) ||
            llvm::isa<clang::CXXConstructorDecl>(m) ||
            llvm::isa<clang::CXXDestructorDecl>(m))
          return false;
        member = true;
      }
      for (const clang::ParmVarDecl *p : fn.parameters())
        if (!harmlessParameter(p->getType()) || p->hasDefaultArg())
          return false;
      BodyScan scan(*this, depth, member);
      scan.collectLambdas(fn.getBody());
      scan.TraverseStmt(fn.getBody());
      return scan.ok;
    }

    // A parameter through which no container can be changed: what holds
    // no reference and no container (by value or by reference), a const
    // reference to what holds no reference, or a view of what holds no
    // container (a string_view, a span<int>).
    // A container given by reference is checked at the call (the call's
    // other checks see the argument); one given by a pointer variable is
    // not, so a pointer may reach no container.
    bool harmlessParameter(clang::QualType t) const {
      const clang::QualType to = t.getNonReferenceType();
      if (sharesOrMutable(to))
        return false; // changed through a const path, or shared
      if (to->isPointerType())
        return !holdsContainer(to->getPointeeType()) &&
               !mayHoldReference(to->getPointeeType());
      if (isView(to))
        return !holdsContainer(to) &&
               (!t->isReferenceType() || to.isConstQualified());
      if (!t->isReferenceType() && runsProgramCode(to))
        return false;               // a copy's constructor and destructor
      return !mayHoldReference(to); // nothing to keep or rebind
    }

    // Does an object of type \p t reach outside itself: a reference,
    // pointer, view or smart pointer member (at any depth) through which a
    // member function could change another object? A FILE * reaches only
    // the C library's stream.
    bool reachesOutside(clang::QualType t, unsigned depth = 0) const {
      if (t.isNull() || t->isDependentType() || depth > 6)
        return true;
      if (cLibraryObject(t))
        return false;
      t = t.getCanonicalType();
      if (t->isReferenceType() || t->isPointerType() || isView(t))
        return true;
      t = elementType(t);
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr || !isProgram(*rec))
        return mayHoldReference(t);
      if (!rec->hasDefinition() || rec->isLambda())
        return true;
      return anyPart(*rec, true, [&](clang::QualType part) {
        return reachesOutside(part, depth + 1);
      });
    }

    // Can an object of type \p t keep a reference, pointer or view to
    // something else (in itself, or in what its reference members refer
    // to)? A reference member cannot be rebound, but what it refers to may
    // keep one.
    bool canKeepReference(clang::QualType t, unsigned depth = 0) const {
      if (t.isNull() || t->isDependentType() || depth > 6)
        return true;
      t = t.getNonReferenceType().getCanonicalType();
      if (t->isPointerType() || isView(t))
        return true;
      t = elementType(t);
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr || !isProgram(*rec))
        return mayHoldReference(t);
      if (!rec->hasDefinition() || rec->isLambda())
        return true;
      return anyPart(*rec, true, [&](clang::QualType part) {
        return canKeepReference(part, depth + 1);
      });
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
      if (const auto *e = t->getAs<clang::EnumType>())
        return isProgram(*e->getDecl()); // its operators, found by ADL
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr)
        return false;
      if (rec->isLambda() || isProgram(*rec))
        return true;
      return anyPart(*rec, false, [&](clang::QualType part) {
        return involvesProgramType(part, depth + 1);
      });
    }

    // Does making, copying or destroying a value of \p t run code of the
    // program's own: a constructor or destructor it wrote, an in-class
    // initialiser that is not a constant, in the type or in any member,
    // base, element or capture of it?
    bool runsProgramCode(clang::QualType t, unsigned depth = 0) const {
      if (t.isNull() || t->isDependentType() || depth > 6)
        return true;
      t = elementType(t);
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
      const auto fieldRunsCode = [&](const clang::FieldDecl *f) {
        if (f->hasInClassInitializer() &&
            (f->getInClassInitializer() == nullptr ||
             !f->getInClassInitializer()->isEvaluatable(rec->getASTContext())))
          return true;
        return runsProgramCode(f->getType(), depth + 1);
      };
      return std::ranges::any_of(rec->fields(), fieldRunsCode) ||
             std::ranges::any_of(
                 rec->bases(), [&](const clang::CXXBaseSpecifier &b) {
                   return runsProgramCode(b.getType(), depth + 1);
                 });
    }

    // Members that only hand out what a sequence container, a string, an
    // optional or a smart pointer holds: they construct, destroy and
    // compare nothing. (A map's at() or find() calls its comparator.)
    static bool plainAccessor(const clang::FunctionDecl &fn,
                              const clang::Expr *object) {
      static const std::set<std::string, std::less<>> kAccessors{
          "operator->", "operator*", "operator[]", "at",
          "size",       "empty",     "data",       "front",
          "back",       "value",     "has_value",  "length",
          "capacity",   "c_str",     "get",        "operator bool"};
      if (object == nullptr || !kAccessors.contains(fn.getNameAsString()))
        return false;
      const Storage storage = storageOf(object->getType());
      if (storage == Storage::Nodes || storage == Storage::Hashed)
        return false;
      // A deleter of the program's may make get() and operator bool copy
      // a pointer class of its own.
      if (const auto *spec =
              llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
                  plain(object->getType())->getAsCXXRecordDecl());
          spec != nullptr && classOf(object->getType()) == "std::unique_ptr") {
        const auto &args = spec->getTemplateArgs();
        return args.size() == 2 &&
               args[1].getKind() == clang::TemplateArgument::Type &&
               classOf(args[1].getAsType()) == "std::default_delete";
      }
      return true;
    }

    // Can the library run code of the program's own when it is given a
    // value of \p t: a function, a lambda, a type of the program's whose
    // constructor, destructor or operators are the program's (a free
    // operator< for it included), or a library class built on one (a
    // map's comparator, a hash)?
    bool libraryMayCallBack(clang::QualType t, unsigned depth = 0) const {
      if (t.isNull() || t->isDependentType() || depth > 6)
        return true;
      t = t.getNonReferenceType().getCanonicalType();
      while (t->isPointerType() || t->isArrayType())
        t = t->isPointerType()
                ? t->getPointeeType()
                : clang::QualType(t->getArrayElementTypeNoTypeQual(), 0);
      if (t->isFunctionType())
        return true;
      if (const auto *e = t->getAs<clang::EnumType>())
        return programOperatorTypes_.contains(e->getDecl()->getCanonicalDecl());
      const auto *rec = t->getAsCXXRecordDecl();
      if (rec == nullptr)
        return false;
      if (!rec->hasDefinition() || rec->isLambda())
        return true;
      if (isProgram(*rec)) {
        if (runsProgramCode(t) ||
            programOperatorTypes_.contains(rec->getCanonicalDecl()))
          return true;
        for (const clang::CXXMethodDecl *m : rec->methods())
          if (m->isOverloadedOperator())
            return true;
      }
      return anyPart(*rec, isProgram(*rec), [&](clang::QualType part) {
        return libraryMayCallBack(part, depth + 1);
      });
    }

  public:
    // The program's classes that a free operator of its own takes (the
    // library's algorithms call `a < b` on them): collected before the walk,
    // as an operator declared after its use is still found.
    void collectProgramOperators(clang::TranslationUnitDecl *tu) {
      struct Collector : clang::RecursiveASTVisitor<Collector> {
        Visitor &outer;
        explicit Collector(Visitor &o) : outer(o) {}
        static bool shouldVisitTemplateInstantiations() { return true; }
        bool VisitFunctionDecl(clang::FunctionDecl *fn) {
          if (!fn->isOverloadedOperator() || !outer.isProgram(*fn))
            return true;
          for (const clang::ParmVarDecl *p : fn->parameters())
            if (const auto *tag =
                    p->getType().getNonReferenceType()->getAsTagDecl())
              outer.programOperatorTypes_.insert(tag->getCanonicalDecl());
          return true;
        }
      } collector(*this);
      collector.TraverseDecl(tu);
    }

  private:
    // The body of a function reachesOnlyWhatItIsGiven() looks at.
    class BodyScan : public clang::RecursiveASTVisitor<BodyScan> {
    public:
      BodyScan(Visitor &outer, unsigned depth, bool member)
          : outer_(outer), depth_(depth), member_(member) {}
      bool ok = true;
      // A range-for's begin() and end(), a structured binding's get().
      static bool shouldVisitImplicitCode() { return true; }

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
          checkVariable(*v);
        } else if (const auto *fn = llvm::dyn_cast<clang::FunctionDecl>(d)) {
          checkFunction(*fn);
        }
        return ok;
      }
      bool VisitMemberExpr(clang::MemberExpr *m) {
        if (const auto *fn =
                llvm::dyn_cast<clang::FunctionDecl>(m->getMemberDecl()))
          checkFunction(*fn);
        if (const auto *v = llvm::dyn_cast<clang::VarDecl>(m->getMemberDecl()))
          checkVariable(*v); // a static data member is a global
        return ok;
      }
      bool VisitCXXThisExpr(clang::CXXThisExpr * /*unused*/) {
        if (!member_)
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
      // A tuple-like structured binding calls get<I>() in the initialiser
      // of a variable the binding holds, which no statement contains.
      bool VisitBindingDecl(clang::BindingDecl *b) {
        if (const clang::VarDecl *held = b->getHoldingVar();
            held != nullptr && held->getInit() != nullptr)
          TraverseStmt(const_cast<clang::Expr *>(held->getInit()));
        return ok;
      }
      bool VisitCXXBindTemporaryExpr(clang::CXXBindTemporaryExpr *t) {
        if (outer_.runsProgramCode(t->getType()))
          ok = false; // its destructor at the end of the statement
        return ok;
      }

    private:
      void checkVariable(const clang::VarDecl &v) {
        const clang::QualType t = v.getType();
        if (v.hasGlobalStorage() &&
            !((v.isConstexpr() || t.isConstQualified()) && constantData(t)))
          ok = false;
      }

      // A function of the program's own must be like the one scanned; a
      // lambda written in the body is walked where it is written.
      void checkFunction(const clang::FunctionDecl &fn) {
        if (!outer_.isProgram(fn))
          return;
        if (const auto *m = llvm::dyn_cast<clang::CXXMethodDecl>(&fn);
            m != nullptr && m->getParent()->isLambda() &&
            lambdas_.contains(m->getParent()))
          return;
        if (!outer_.reachesOnlyWhatItIsGiven(&fn, depth_ + 1))
          ok = false;
      }

      Visitor &outer_;
      unsigned depth_;
      bool member_; // scanning a member function: `this` is given
      std::set<const clang::CXXRecordDecl *> lambdas_;
    };

    InvalidationRule &rule_;
    const clang::SourceManager &sm_;
    const clang::FunctionDecl *function_ = nullptr;
    LoopVariables loops_;
    std::map<const clang::FunctionDecl *, bool> reachesOnlyGiven_;
    std::map<const clang::FunctionDecl *, bool> keepsInSelf_;
    std::set<const clang::TagDecl *> programOperatorTypes_;
  };

  friend class Visitor;
};

} // namespace

std::unique_ptr<Rule> makeInvalidationRule(RuleContext &ctx) {
  return std::make_unique<InvalidationRule>(ctx);
}

} // namespace kml::verify
