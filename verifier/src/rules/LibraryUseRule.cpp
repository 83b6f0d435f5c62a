// KML-R018: the C++ standard library is used only through the interfaces
// that check themselves. Hardened libstdc++ (_GLIBCXX_ASSERTIONS) checks
// an index against a container's size, an optional's state, a span's
// offsets; it never checks an iterator, a raw pointer with a length, or a
// pointer handed to or taken from a smart pointer. So, in the program's
// own code:
//   - no iterator is a value: none is stored, passed, returned, compared,
//     moved or dereferenced, except inside a range-for (the loop owns its
//     iterators) and as a whole-range pair, `c.begin(), c.end()` or
//     `std::begin(c), std::end(c)` of one named object, given to a call;
//   - no standard function is given a pointer and then a length (a
//     string, string_view or span made from them, append, copy...), and no
//     two pointers as a range unless they are a whole-range pair;
//   - no raw pointer leaves a smart pointer (get, release) or enters one
//     (a constructor or reset given a pointer: only make_unique and
//     make_shared make owners), and no smart pointer owns an array (its
//     operator[] is not checked: use std::vector).
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtCXX.h>

#include <algorithm>
#include <set>
#include <string>

namespace kml::verify {
namespace {

/// The qualified name of \p t's class, or "" when it is not a class.
std::string className(clang::QualType t) {
  if (t.isNull() || t->isDependentType())
    return {};
  t = t.getNonReferenceType().getCanonicalType();
  const auto *rec = t->getAsCXXRecordDecl();
  return rec != nullptr ? plainQualifiedName(*rec) : std::string();
}

/// libstdc++'s iterator classes: none of them checks where it points.
/// back_insert_iterator is not one of them: it only calls push_back.
bool isIteratorClass(const std::string &name) {
  static const std::set<std::string, std::less<>> kNames{
      "__gnu_cxx::__normal_iterator",
      "std::_Rb_tree_iterator",
      "std::_Rb_tree_const_iterator",
      "std::__detail::_Node_iterator",
      "std::__detail::_Node_const_iterator",
      "std::__detail::_Local_iterator",
      "std::__detail::_Local_const_iterator",
      "std::_Deque_iterator",
      "std::reverse_iterator",
      "std::move_iterator",
      "std::_Bit_iterator",
      "std::_Bit_const_iterator",
      "std::insert_iterator",
      "std::istream_iterator",
      "std::istreambuf_iterator",
      "std::counted_iterator",
      "std::common_iterator"};
  return kNames.contains(name);
}

bool isSmartPointerClass(const std::string &name) {
  return name == "std::unique_ptr" || name == "std::shared_ptr" ||
         name == "std::__shared_ptr" || name == "std::weak_ptr" ||
         name == "std::__weak_ptr";
}

/// The begin/end family, as members and as std:: functions.
bool isRangeEndName(llvm::StringRef n) {
  return n == "begin" || n == "end" || n == "cbegin" || n == "cend" ||
         n == "rbegin" || n == "rend" || n == "crbegin" || n == "crend";
}

/// The name that closes the range \p begin opens ("" if it opens none).
llvm::StringRef matchingEnd(llvm::StringRef begin) {
  if (begin == "begin")
    return "end";
  if (begin == "cbegin")
    return "cend";
  if (begin == "rbegin")
    return "rend";
  if (begin == "crbegin")
    return "crend";
  return "";
}

const clang::Expr *stripCopies(const clang::Expr *e) {
  for (;;) {
    e = e->IgnoreImplicit()->IgnoreParens();
    if (const auto *c = llvm::dyn_cast<clang::CXXConstructExpr>(e);
        c != nullptr && c->getNumArgs() == 1 &&
        c->getConstructor()->isCopyOrMoveConstructor()) {
      e = c->getArg(0);
      continue;
    }
    return e;
  }
}

/// `x.begin()` or `std::begin(x)`: the name and the object.
struct RangeEnd {
  llvm::StringRef name;
  const clang::Expr *object = nullptr;
};

/// A standard container, view or C array: a type whose begin() and end()
/// the library itself defines as the two ends of one object. A class of
/// the program's own may return anything from them.
bool hasStandardRange(clang::QualType t) {
  if (t.isNull() || t->isDependentType())
    return false;
  t = t.getNonReferenceType().getCanonicalType();
  if (t->isConstantArrayType())
    return true;
  static const std::set<std::string, std::less<>> kNames{
      "std::vector",
      "std::array",
      "std::deque",
      "std::basic_string",
      "std::basic_string_view",
      "std::span",
      "std::map",
      "std::set",
      "std::unordered_map",
      "std::unordered_set"};
  return kNames.contains(className(t));
}

std::optional<RangeEnd> rangeEnd(const clang::Expr *e) {
  e = stripCopies(e);
  if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
    const clang::CXXMethodDecl *md = m->getMethodDecl();
    const clang::Expr *obj = m->getImplicitObjectArgument();
    if (md != nullptr && md->getDeclName().isIdentifier() &&
        isRangeEndName(md->getName()) && m->getNumArgs() == 0 &&
        obj != nullptr && hasStandardRange(obj->getType()))
      return RangeEnd{md->getName(), obj};
    return std::nullopt;
  }
  if (const auto *c = llvm::dyn_cast<clang::CallExpr>(e)) {
    const clang::FunctionDecl *fn = c->getDirectCallee();
    if (fn != nullptr && fn->getDeclName().isIdentifier() &&
        isRangeEndName(fn->getName()) &&
        fn->getDeclContext()->getRedeclContext()->isStdNamespace() &&
        c->getNumArgs() == 1 && hasStandardRange(c->getArg(0)->getType()))
      return RangeEnd{fn->getName(), c->getArg(0)};
  }
  return std::nullopt;
}

/// The object whose whole range \p first and \p last are:
/// `c.begin(), c.end()` (or cbegin/cend, rbegin/rend...) gives `c`;
/// anything else gives null.
const clang::Expr *wholeRangeObject(const clang::Expr *first,
                                    const clang::Expr *last) {
  const auto b = rangeEnd(first);
  const auto e = rangeEnd(last);
  if (b && e && !matchingEnd(b->name).empty() &&
      e->name == matchingEnd(b->name) && sameNamedObject(b->object, e->object))
    return b->object;
  return nullptr;
}

/// `c.begin(), c.end()` (or cbegin/cend, rbegin/rend...) of one object.
bool isWholeRangePair(const clang::Expr *first, const clang::Expr *last) {
  return wholeRangeObject(first, last) != nullptr;
}

bool isIteratorValued(const clang::Expr *e) {
  if (e->isTypeDependent() || e->isValueDependent())
    return false;
  if (isIteratorClass(className(e->getType())))
    return true;
  // std::array, string_view and C arrays hand out raw pointers.
  return rangeEnd(e).has_value() && stripCopies(e) == e->IgnoreParens();
}

bool isLengthType(clang::QualType t) {
  t = t.getCanonicalType();
  return t->isIntegerType() && !t->isBooleanType() && !t->isAnyCharacterType();
}

bool isDataPointer(clang::QualType t) {
  t = t.getCanonicalType();
  return t->isPointerType() && !t->isFunctionPointerType();
}

/// Declared by the standard library (a std:: function or a member of one
/// of its classes), where the rule looks at parameters.
bool isLibraryFunction(const clang::FunctionDecl &fn,
                       const clang::SourceManager &sm) {
  if (!sm.isInSystemHeader(fn.getCanonicalDecl()->getLocation()))
    return false;
  const std::string name = plainQualifiedName(fn);
  return name.starts_with("std::") || name.starts_with("__gnu_cxx::");
}

class LibraryUseRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R018"; }

  void checkTranslationUnit(clang::ASTContext &ast) override {
    Visitor v(*this, ast);
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }

private:
  class Visitor : public clang::RecursiveASTVisitor<Visitor> {
  public:
    Visitor(LibraryUseRule &rule, clang::ASTContext &ast)
        : rule_(rule), ast_(ast), sm_(ast.getSourceManager()) {}

    static bool shouldVisitTemplateInstantiations() { return true; }

    // The library's own code is not the program's: skipping the system
    // headers' declarations keeps the walk to the program's size.
    bool TraverseDecl(clang::Decl *d) {
      if (d != nullptr && !llvm::isa<clang::TranslationUnitDecl>(d) &&
          sm_.isInSystemHeader(d->getLocation()))
        return true;
      return clang::RecursiveASTVisitor<Visitor>::TraverseDecl(d);
    }
    static bool shouldVisitImplicitCode() { return true; }

    // The loop's own begin/end/increment/dereference are its business.
    bool TraverseCXXForRangeStmt(clang::CXXForRangeStmt *s) {
      for (clang::Stmt *own : {static_cast<clang::Stmt *>(s->getBeginStmt()),
                               static_cast<clang::Stmt *>(s->getEndStmt()),
                               static_cast<clang::Stmt *>(s->getCond()),
                               static_cast<clang::Stmt *>(s->getInc())})
        exempt(own);
      if (const clang::VarDecl *loopVar = s->getLoopVariable();
          loopVar != nullptr && loopVar->getInit() != nullptr)
        exempt(const_cast<clang::Expr *>(loopVar->getInit()));
      return clang::RecursiveASTVisitor<Visitor>::TraverseCXXForRangeStmt(s);
    }

    // A discarded result is no value: std::ranges::sort(v) returns the end
    // iterator, v.erase(...) the next position. Only the statement's own
    // top expression is exempt, never what it computes with.
    bool VisitCompoundStmt(clang::CompoundStmt *block) {
      for (clang::Stmt *s : block->body())
        if (auto *e = llvm::dyn_cast<clang::Expr>(s))
          exemptTop(e);
      return true;
    }

    bool VisitCStyleCastExpr(clang::CStyleCastExpr *c) {
      if (c->getType()->isVoidType())
        exemptTop(c->getSubExpr());
      return true;
    }

    // `ptr == text.end()`, `it != v.end()`: comparing two positions reads
    // no memory and yields a bool, so the operands are no iterator values
    // of their own (what they are computed from still is looked at).
    bool VisitBinaryOperator(clang::BinaryOperator *op) {
      if (op->isEqualityOp()) {
        exemptTop(op->getLHS());
        exemptTop(op->getRHS());
      }
      return true;
    }

    bool VisitCallExpr(clang::CallExpr *call) {
      // The library's own ==, != only, on the library's own types: the
      // program's operator would be handed the position as a value, and
      // the library's (optional's) may hand it on to the program's.
      if (const auto *op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call);
          op != nullptr && op->getNumArgs() == 2 &&
          (op->getOperator() == clang::OO_EqualEqual ||
           op->getOperator() == clang::OO_ExclaimEqual) &&
          op->getDirectCallee() != nullptr &&
          sm_.isInSystemHeader(
              op->getDirectCallee()->getCanonicalDecl()->getLocation()) &&
          onlyLibraryTypes(op->getArg(0)->getType()) &&
          onlyLibraryTypes(op->getArg(1)->getType())) {
        exemptTop(call->getArg(0));
        exemptTop(call->getArg(1));
      }
      checkArguments(call->getDirectCallee(),
                     llvm::ArrayRef(call->getArgs(), call->getNumArgs()), call);
      checkSmartPointerCall(*call);
      checkIterator(call);
      return true;
    }

    bool VisitCXXConstructExpr(clang::CXXConstructExpr *c) {
      checkArguments(c->getConstructor(),
                     llvm::ArrayRef(c->getArgs(), c->getNumArgs()), c);
      checkSmartPointerConstruction(*c);
      checkIterator(c);
      return true;
    }

    bool VisitExpr(clang::Expr *e) {
      if (!llvm::isa<clang::CallExpr>(e) &&
          !llvm::isa<clang::CXXConstructExpr>(e))
        checkIterator(e);
      return true;
    }

    bool VisitDeclaratorDecl(clang::DeclaratorDecl *d) {
      if (d->isImplicit() || !rule_.isApplication(sm_, d->getLocation()))
        return true;
      const clang::QualType t = d->getType();
      if (t->isDependentType())
        return true;
      const std::string cls = className(t);
      if (isIteratorClass(cls) &&
          (!llvm::isa<clang::VarDecl>(d) ||
           llvm::cast<clang::VarDecl>(d)->getInit() == nullptr)) {
        rule_.report(sm_, d->getSourceRange(),
                     "'" + d->getNameAsString() +
                         "' holds an iterator, which nothing checks",
                     "loop with range-for, index with [] or at(), or pass "
                     "the whole container");
      }
      checkArraySmartPointer(t, d->getSourceRange());
      return true;
    }

  private:
    void exemptTop(clang::Expr *e) {
      for (;;) {
        exempt_.insert(e);
        clang::Expr *inner = e->IgnoreImplicit()->IgnoreParens();
        if (inner == e)
          return;
        e = inner;
      }
    }

    void exempt(clang::Stmt *s) {
      if (s == nullptr)
        return;
      exempt_.insert(s);
      for (clang::Stmt *child : s->children())
        exempt(child);
    }

    void checkIterator(clang::Expr *e) {
      if (exempt_.contains(e) || !rule_.isApplication(sm_, e->getExprLoc()) ||
          !isIteratorValued(e))
        return;
      exempt(e); // one finding for the outermost expression
      rule_.report(sm_, e->getSourceRange(),
                   "iterator used as a value: nothing checks where it "
                   "points or that its container still holds it",
                   "loop with range-for, use an index with [] or at(), a "
                   "ranges algorithm on the whole container "
                   "(std::ranges::sort(v)), or pass c.begin(), c.end() "
                   "together");
    }

    // Whole-range pairs are exempt as iterators; a pointer and a length,
    // or two pointers that are not a whole-range pair, are refused.
    void checkArguments(const clang::FunctionDecl *fn,
                        llvm::ArrayRef<const clang::Expr *> args,
                        const clang::Expr *call) {
      // A member that works on positions of its own object (erase,
      // replace) needs a pair of that object; one that reads a range into
      // its object (assign, insert, append, a constructor) must not be
      // given its own, which it would free while reading.
      const clang::Expr *self = nullptr;
      llvm::StringRef method;
      if (const auto *m = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
        self = m->getImplicitObjectArgument();
        if (const clang::CXXMethodDecl *md = m->getMethodDecl();
            md != nullptr && md->getDeclName().isIdentifier())
          method = md->getName();
      }
      std::set<std::size_t> paired;
      for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (const clang::Expr *of = wholeRangeObject(args[i], args[i + 1])) {
          const bool own = self != nullptr && sameNamedObject(of, self);
          const bool needsOwn = method == "erase" || method == "replace";
          if (self != nullptr && own != needsOwn) {
            rule_.report(sm_, call->getSourceRange(),
                         needsOwn ? "'" + method.str() +
                                        "' is given another object's range: "
                                        "it works on positions of its own"
                                  : "'" + method.str() +
                                        "' is given its own object's range, "
                                        "which it may free while reading it",
                         needsOwn ? "erase by key or index, or with "
                                    "std::erase_if"
                                  : "copy the range first, or build a new "
                                    "container");
            continue;
          }
          exempt(const_cast<clang::Expr *>(args[i]));
          exempt(const_cast<clang::Expr *>(args[i + 1]));
          paired.insert(i);
          paired.insert(i + 1);
        }
      checkBackInserters(args, call);
      if (fn == nullptr || fn->isDependentContext() ||
          !rule_.isApplication(sm_, call->getExprLoc()) ||
          !isLibraryFunction(*fn, sm_))
        return;
      checkProgramRanges(*fn, args, call);
      checkLonePointers(*fn, args, paired, call);
      checkSortOrder(*fn, args, call);
      const auto *asCall = llvm::dyn_cast<clang::CallExpr>(call);
      const unsigned shift =
          asCall != nullptr ? firstParameterArgument(*asCall, *fn) : 0;
      for (unsigned p = 0; p + 1 < fn->getNumParams(); ++p) {
        const unsigned a = p + shift;
        if (a + 1 >= args.size() ||
            llvm::isa<clang::CXXDefaultArgExpr>(args[a + 1]))
          break;
        const clang::QualType first = fn->getParamDecl(p)->getType();
        const clang::QualType second = fn->getParamDecl(p + 1)->getType();
        if (!isDataPointer(first) || paired.contains(a))
          continue; // a whole range's end is no pointer-and-length
        if (isLengthType(second)) {
          rule_.report(sm_, call->getSourceRange(),
                       "'" + plainQualifiedName(*fn) +
                           "' is given a pointer and a length, which it "
                           "cannot check against each other",
                       "pass a container, a whole array or a view made "
                       "from one (std::string_view(s), std::span(v))");
          return;
        }
        if (isDataPointer(second) &&
            first.getCanonicalType() == second.getCanonicalType() &&
            !isWholeRangePair(args[a], args[a + 1])) {
          rule_.report(sm_, call->getSourceRange(),
                       "'" + plainQualifiedName(*fn) +
                           "' is given two pointers as a range, and "
                           "nothing shows they belong to one object",
                       "pass std::begin(x), std::end(x) (or x.begin(), "
                       "x.end()) of one array or container");
          return;
        }
      }
    }

    // std::span(r), std::ranges::sort(r): a library template that takes a
    // range calls its begin() and end() and trusts them to be the two ends
    // of one object; a class of the program's own may return anything.
    void checkProgramRanges(const clang::FunctionDecl &fn,
                            llvm::ArrayRef<const clang::Expr *> args,
                            const clang::Expr *call) {
      // The range consumers: a constructor of a library class (span,
      // string_view, vector from a range) and the std::ranges algorithms.
      if (fn.getPrimaryTemplate() == nullptr)
        return; // the parameter types were not deduced from the argument
      const std::string name = plainQualifiedName(fn);
      if (!llvm::isa<clang::CXXConstructorDecl>(fn) &&
          !llvm::StringRef(name).starts_with("std::ranges::"))
        return;
      for (const clang::Expr *arg : args) {
        const clang::QualType t = arg->getType();
        const auto *rec = t.isNull() || t->isDependentType()
                              ? nullptr
                              : t.getNonReferenceType()->getAsCXXRecordDecl();
        if (rec == nullptr || !rec->hasDefinition() || hasStandardRange(t) ||
            sm_.isInSystemHeader(rec->getLocation()) ||
            !rule_.isApplication(sm_, rec->getLocation()))
          continue; // the library's and the reviewed runtime's own types
        for (const char *end : {"begin", "end"}) {
          clang::DeclContextLookupResult found =
              rec->lookup(&ast_.Idents.get(end));
          if (!found.empty()) {
            rule_.report(sm_, call->getSourceRange(),
                         "'" + plainQualifiedName(fn) +
                             "' is given a range of the program's own type "
                             "'" +
                             rec->getNameAsString() +
                             "': the library trusts its begin() and end()",
                         "pass a standard container or a span of one");
            return;
          }
        }
      }
    }

    // std::ranges::copy(a, b) with an array, b.data() or &x: a library
    // template takes a raw pointer as a position (an output iterator) and
    // writes as far as the input goes. Only whole-range pairs and
    // std::back_inserter are positions the library bounds.
    void checkLonePointers(const clang::FunctionDecl &fn,
                           llvm::ArrayRef<const clang::Expr *> args,
                           const std::set<std::size_t> &paired,
                           const clang::Expr *call) {
      const clang::FunctionTemplateDecl *primary = fn.getPrimaryTemplate();
      if (primary == nullptr)
        return;
      // The algorithms, whose deduced parameters are positions (not
      // std::operator== or std::bit_cast, whose pointers are values).
      static const std::set<std::string, std::less<>> kAlgorithms{
          "std::sort",   "std::stable_sort", "std::reverse",  "std::fill",
          "std::count",  "std::count_if",    "std::equal",    "std::all_of",
          "std::any_of", "std::none_of",     "std::for_each", "std::accumulate",
          "std::iota"};
      const std::string name = plainQualifiedName(fn);
      if (!kAlgorithms.contains(name) &&
          !llvm::StringRef(name).starts_with("std::ranges::"))
        return;
      const clang::FunctionDecl *pattern = primary->getTemplatedDecl();
      const auto *asCall = llvm::dyn_cast<clang::CallExpr>(call);
      const std::size_t shift =
          asCall != nullptr ? firstParameterArgument(*asCall, fn) : 0;
      for (std::size_t i = shift; i < args.size(); ++i) {
        if (paired.contains(i))
          continue;
        // Only a position whose type was deduced from the argument (an
        // iterator parameter); `const char *` of string's constructor is
        // a string, not a position.
        if (i - shift >= pattern->getNumParams() ||
            !pattern->getParamDecl(i - shift)->getType()->isDependentType())
          continue;
        const clang::QualType t = args[i]->getType();
        if (t.isNull() || t->isDependentType() || !isDataPointer(t) ||
            args[i]->isNullPointerConstant(
                ast_, clang::Expr::NPC_ValueDependentIsNotNull))
          continue;
        rule_.report(sm_, args[i]->getSourceRange(),
                     "a raw pointer given to '" + plainQualifiedName(fn) +
                         "' as a position: nothing bounds how far it "
                         "writes or reads from there",
                     "give the whole destination container, or "
                     "std::back_inserter(c)");
        return;
      }
    }

    // libstdc++'s sort runs unguarded loops that trust the order to be a
    // strict weak ordering: `return true;` or `a <= b` walks them past
    // the range, reading and writing outside the buffer. So a sort orders
    // only by the library's own comparisons: no comparator or projection
    // of the program's own (std::less / std::greater and a projection by
    // data member are fine), over elements the library knows how to
    // compare (numbers, strings, pairs and tuples of them...).
    void checkSortOrder(const clang::FunctionDecl &fn,
                        llvm::ArrayRef<const clang::Expr *> args,
                        const clang::Expr *call) {
      const std::string name = plainQualifiedName(fn);
      if (name != "std::sort" && name != "std::stable_sort" &&
          name != "std::ranges::__sort_fn::operator()" &&
          name != "std::ranges::__stable_sort_fn::operator()")
        return;
      std::optional<clang::QualType> element;
      bool projected = false;
      for (const clang::Expr *arg : args) {
        const clang::Expr *e = stripCopies(arg);
        const clang::QualType t = e->getType();
        if (t.isNull() || t->isDependentType())
          continue;
        if (const auto r = rangeEnd(e)) { // an end of a whole-range pair
          element = elementOf(r->object->getType());
          continue;
        }
        if (hasStandardRange(t)) { // ranges::sort(v)
          element = elementOf(t);
          continue;
        }
        const std::string cls = className(t);
        if (llvm::StringRef(cls).starts_with("std::") && !isIteratorClass(cls))
          continue; // the niebloid itself, std::less, ranges::less, {}
        if (const auto *mp = t->getAs<clang::MemberPointerType>();
            mp != nullptr && !mp->isMemberFunctionPointer()) {
          element = mp->getPointeeType();
          projected = true;
          continue;
        }
        rule_.report(sm_, arg->getSourceRange(),
                     "sort with an order of the program's own: libstdc++'s "
                     "sort trusts it to be a strict weak ordering and reads "
                     "and writes outside the range when it is not",
                     "sort by the elements' own order, std::greater{}, or "
                     "a data member (std::ranges::sort(v, {}, &T::key))");
        return;
      }
      if (element && !libraryOrdered(*element))
        rule_.report(sm_, call->getSourceRange(),
                     std::string("sort compares '") + element->getAsString() +
                         "'" + (projected ? " (the projected member)" : "") +
                         " with an operator< of the program's own, which "
                         "the sort trusts to be a strict weak ordering",
                     "sort by a member the library compares "
                     "(std::ranges::sort(v, {}, &T::key))");
    }

    static std::optional<clang::QualType> elementOf(clang::QualType t) {
      t = t.getNonReferenceType().getCanonicalType();
      if (const auto *arr = llvm::dyn_cast<clang::ArrayType>(t.getTypePtr()))
        return arr->getElementType();
      const auto *spec =
          llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
              t->getAsCXXRecordDecl());
      if (spec == nullptr || spec->getTemplateArgs().size() == 0 ||
          spec->getTemplateArgs()[0].getKind() != clang::TemplateArgument::Type)
        return std::nullopt;
      return spec->getTemplateArgs()[0].getAsType();
    }

    /// Compared by the language or by the library's own operator<.
    static bool libraryOrdered(clang::QualType t, unsigned depth = 0) {
      t = t.getNonReferenceType().getCanonicalType();
      if (depth > 8)
        return false;
      if (t->isArithmeticType() || t->isEnumeralType() || t->isPointerType())
        return true;
      const std::string cls = className(t);
      if (cls == "std::basic_string" || cls == "std::basic_string_view")
        return true;
      const auto *spec =
          llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
              t->getAsCXXRecordDecl());
      if (spec == nullptr ||
          (cls != "std::pair" && cls != "std::tuple" && cls != "std::array" &&
           cls != "std::vector" && cls != "std::optional"))
        return false;
      for (const clang::TemplateArgument &a :
           spec->getTemplateArgs().asArray()) {
        if (a.getKind() == clang::TemplateArgument::Type &&
            !libraryOrdered(a.getAsType(), depth + 1) &&
            !className(a.getAsType()).starts_with("std::allocator"))
          return false;
        if (a.getKind() == clang::TemplateArgument::Pack)
          for (const clang::TemplateArgument &p : a.pack_elements())
            if (p.getKind() == clang::TemplateArgument::Type &&
                !libraryOrdered(p.getAsType(), depth + 1))
              return false;
      }
      return true;
    }

    // std::ranges::copy(v, std::back_inserter(v)): the pushes reallocate
    // the storage the copy is reading.
    void checkBackInserters(llvm::ArrayRef<const clang::Expr *> args,
                            const clang::Expr *call) {
      for (const clang::Expr *arg : args) {
        const auto *bi = llvm::dyn_cast<clang::CallExpr>(stripCopies(arg));
        const clang::FunctionDecl *fn =
            bi != nullptr ? bi->getDirectCallee() : nullptr;
        if (fn == nullptr || !fn->getDeclName().isIdentifier() ||
            fn->getName() != "back_inserter" || bi->getNumArgs() != 1)
          continue;
        for (const clang::Expr *other : args)
          if (other != arg && mentions(other, bi->getArg(0))) {
            rule_.report(sm_, call->getSourceRange(),
                         "the call reads the object it appends to: each "
                         "push may move what is being read",
                         "copy from a copy, or append after the call");
            return;
          }
      }
    }

    static bool mentions(const clang::Stmt *s, const clang::Expr *object) {
      if (s == nullptr)
        return false;
      if (const auto *e = llvm::dyn_cast<clang::Expr>(s);
          e != nullptr && sameNamedObject(e, object))
        return true;
      return std::ranges::any_of(s->children(),
                                 [object](const clang::Stmt *child) {
                                   return mentions(child, object);
                                 });
    }

    void checkSmartPointerCall(const clang::CallExpr &call) {
      if (!rule_.isApplication(sm_, call.getExprLoc()))
        return;
      const auto *member = llvm::dyn_cast<clang::CXXMemberCallExpr>(&call);
      const clang::CXXMethodDecl *md =
          member != nullptr ? member->getMethodDecl() : nullptr;
      if (md != nullptr && md->getDeclName().isIdentifier() &&
          md->getName() == "data" &&
          plainQualifiedName(*md->getParent()) == "std::span")
        rule_.report(sm_, call.getSourceRange(),
                     "a span's data() points past its end when the span is "
                     "empty (a subspan at the end): nothing bounds a write "
                     "through it",
                     "index the span (s[i], checked), or pass the span "
                     "itself");
      if (md != nullptr && md->getDeclName().isIdentifier() &&
          isSmartPointerClass(plainQualifiedName(*md->getParent()))) {
        const llvm::StringRef n = md->getName();
        if (n == "get" || n == "release")
          rule_.report(sm_, call.getSourceRange(),
                       "'" + n.str() +
                           "()' takes a raw pointer out of a smart pointer: "
                           "nothing owns it or bounds its life",
                       "use the smart pointer itself (*p, p->member), or "
                       "pass a reference to the object");
        else if (n == "reset" && call.getNumArgs() > 0 &&
                 !llvm::isa<clang::CXXDefaultArgExpr>(call.getArg(0)) &&
                 isDataPointer(call.getArg(0)->IgnoreImpCasts()->getType()))
          rule_.report(sm_, call.getSourceRange(),
                       "'reset' gives a smart pointer a raw pointer to own",
                       "assign the result of std::make_unique / "
                       "std::make_shared");
      }
      checkArraySmartPointer(call.getType(), call.getSourceRange());
    }

    void checkSmartPointerConstruction(const clang::CXXConstructExpr &c) {
      if (!rule_.isApplication(sm_, c.getExprLoc()) ||
          !isSmartPointerClass(className(c.getType())))
        return;
      for (const clang::Expr *arg : c.arguments())
        if (isDataPointer(arg->IgnoreImpCasts()->getType())) {
          rule_.report(sm_, c.getSourceRange(),
                       "a smart pointer made from a raw pointer: nothing "
                       "shows it points to a heap object nobody else owns",
                       "make it with std::make_unique / std::make_shared");
          return;
        }
    }

    void checkArraySmartPointer(clang::QualType t, clang::SourceRange where) {
      if (t.isNull() || t->isDependentType())
        return;
      t = t.getNonReferenceType().getCanonicalType();
      const auto *spec =
          llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
              t->getAsCXXRecordDecl());
      if (spec == nullptr || spec->getTemplateArgs().size() == 0 ||
          !isSmartPointerClass(plainQualifiedName(*spec)))
        return;
      const clang::TemplateArgument &arg = spec->getTemplateArgs()[0];
      if (arg.getKind() != clang::TemplateArgument::Type ||
          !arg.getAsType()->isArrayType() ||
          !rule_.isApplication(sm_, where.getBegin()) ||
          !reportedArrays_.insert(where.getBegin().getRawEncoding()).second)
        return;
      rule_.report(sm_, where,
                   "a smart pointer to an array: its operator[] checks no "
                   "bounds",
                   "use std::vector or std::array");
    }

    LibraryUseRule &rule_;
    clang::ASTContext &ast_;
    const clang::SourceManager &sm_;
    std::set<const clang::Stmt *> exempt_;
    std::set<unsigned> reportedArrays_;
  };

  friend class Visitor;
};

} // namespace

std::unique_ptr<Rule> makeLibraryUseRule(RuleContext &ctx) {
  return std::make_unique<LibraryUseRule>(ctx);
}

} // namespace kml::verify
