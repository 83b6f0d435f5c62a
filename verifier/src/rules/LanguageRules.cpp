// Rules about language features that have no safe use at CPL 0:
// KML-R001 (asm), R003 (casts), R004 (pointer unions), R005 (varargs),
// R007 (VLA/alloca), R013 (exceptions, RTTI, setjmp), R014 (flags).
#include "core/FlagChecker.hpp"
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <clang/Basic/Builtins.h>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

class InlineAsmRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R001"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(asmStmt().bind("asm"), this);
    f.addMatcher(functionDecl(hasAttr(clang::attr::Naked)).bind("naked"), this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("builtin"))).bind("ref"),
                 this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *s = r.Nodes.getNodeAs<clang::AsmStmt>("asm"))
      report(sm, s->getSourceRange(), "inline assembly is not allowed",
             "remove it; use a kml runtime helper or an allowlisted builtin");
    if (const auto *d = r.Nodes.getNodeAs<clang::FunctionDecl>("naked"))
      report(sm, d->getLocation(),
             "naked function '" + d->getNameAsString() + "' is assembly",
             "remove __attribute__((naked))");
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("builtin")) {
      unsigned id = fn->getBuiltinID();
      if (id == 0 || !r.Context->BuiltinInfo.isTSBuiltin(id))
        return;
      std::string name = fn->getNameAsString();
      if (isAllowlistedTargetBuiltin(name))
        return;
      const auto *ref = r.Nodes.getNodeAs<clang::DeclRefExpr>("ref");
      report(sm, ref->getSourceRange(),
             "target builtin '" + name + "' is not in the allowlist",
             "allowed target builtins: see kml-verify --explain KML-R001");
    }
  }

  // File-scope asm and asm labels are declarations, found by a walk.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    struct Visitor : clang::RecursiveASTVisitor<Visitor> {
      InlineAsmRule &rule;
      const clang::SourceManager &sm;
      Visitor(InlineAsmRule &r, const clang::SourceManager &s)
          : rule(r), sm(s) {}
      bool VisitFileScopeAsmDecl(clang::FileScopeAsmDecl *d) {
        rule.report(sm, d->getSourceRange(), "module-level asm is not allowed",
                    "remove the asm block");
        return true;
      }
      bool VisitDeclaratorDecl(clang::DeclaratorDecl *d) {
        if (const auto *label = d->getAttr<clang::AsmLabelAttr>())
          if (!label->isImplicit())
            rule.report(sm, label->getLocation(),
                        "asm label on '" + d->getNameAsString() +
                            "' renames a symbol or pins a register",
                        "remove the asm(\"...\") label");
        return true;
      }
    } v(*this, ast.getSourceManager());
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }
};

class CastRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R003"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(cxxReinterpretCastExpr().bind("reinterpret"), this);
    f.addMatcher(cxxConstCastExpr().bind("const"), this);
    f.addMatcher(explicitCastExpr(unless(cxxReinterpretCastExpr()),
                                  unless(cxxConstCastExpr()))
                     .bind("explicit"),
                 this);
    f.addMatcher(implicitCastExpr().bind("implicit"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *c =
            r.Nodes.getNodeAs<clang::CXXReinterpretCastExpr>("reinterpret")) {
      report(sm, c->getSourceRange(), "reinterpret_cast is not allowed",
             "copy the bytes (memcpy / std::bit_cast) instead");
      return;
    }
    if (const auto *c = r.Nodes.getNodeAs<clang::CXXConstCastExpr>("const")) {
      report(sm, c->getSourceRange(), "const_cast is not allowed",
             "make the data mutable at its declaration, or copy it");
      return;
    }
    if (const auto *c =
            r.Nodes.getNodeAs<clang::ExplicitCastExpr>("explicit")) {
      if (c->getSubExpr()->isNullPointerConstant(
              *r.Context, clang::Expr::NPC_ValueDependentIsNotNull))
        return; // (T *)0 is a null pointer, not a forged address
      if (c->getCastKind() == clang::CK_BaseToDerived ||
          c->getCastKind() == clang::CK_BaseToDerivedMemberPointer) {
        // Nothing checks that the object is a Derived: its size and its
        // members past the base's are the cast's claim.
        report(sm, c->getSourceRange(),
               "down-cast from '" + c->getSubExpr()->getType().getAsString() +
                   "' to '" + c->getType().getAsString() +
                   "' is not checked: the object may be only the base",
               "call a virtual function of the base, or keep the derived "
               "object's own type");
        return;
      }
      if (auto why = unsafe(*c, *r.Context))
        report(sm, c->getSourceRange(), *why,
               "keep the pointer's type; copy bytes with memcpy or "
               "std::bit_cast");
      return;
    }
    if (const auto *c =
            r.Nodes.getNodeAs<clang::ImplicitCastExpr>("implicit")) {
      // NULL is ((void *)0) in C: comparing or assigning it converts a
      // null constant, not an object's address.
      if (c->getSubExpr()->isNullPointerConstant(
              *r.Context, clang::Expr::NPC_ValueDependentIsNotNull))
        return;
      if (c->getCastKind() == clang::CK_IntegralToPointer)
        report(sm, c->getSourceRange(),
               "implicit integer-to-pointer conversion forges an address");
      else if (c->getCastKind() == clang::CK_BitCast &&
               changesPointee(c->getSubExpr()->getType(), c->getType()))
        report(sm, c->getSourceRange(),
               "implicit conversion from '" +
                   c->getSubExpr()->getType().getAsString() + "' to '" +
                   c->getType().getAsString() + "' changes the pointee type",
               "declare the pointer with the right type");
      else if ((c->getCastKind() == clang::CK_BitCast ||
                c->getCastKind() == clang::CK_NoOp) &&
               dropsQualifiers(c->getSubExpr()->getType(), c->getType()))
        // C only warns (-Wincompatible-pointer-types-discards-qualifiers).
        report(sm, c->getSourceRange(),
               "implicit conversion from '" +
                   c->getSubExpr()->getType().getAsString() + "' to '" +
                   c->getType().getAsString() + "' drops qualifiers",
               "keep the pointer const, or make the data mutable at its "
               "declaration");
    }
  }

private:
  /// Whether converting \p from to \p to (both pointers) changes the
  /// pointee. Erasing to void* is allowed: nothing can be read through it.
  static bool changesPointee(clang::QualType from, clang::QualType to) {
    if (!from->isAnyPointerType() || !to->isAnyPointerType())
      return from->isPointerType() != to->isPointerType();
    clang::QualType pf = from->getPointeeType().getCanonicalType();
    clang::QualType pt = to->getPointeeType().getCanonicalType();
    if (pt->isVoidType())
      return false;
    return pf.getUnqualifiedType() != pt.getUnqualifiedType();
  }

  static bool dropsQualifiers(clang::QualType from, clang::QualType to) {
    if (!from->isPointerType() || !to->isPointerType())
      return false;
    clang::Qualifiers qf = from->getPointeeType().getQualifiers();
    clang::Qualifiers qt = to->getPointeeType().getQualifiers();
    return !qt.compatiblyIncludes(qf);
  }

  static std::optional<std::string> unsafe(const clang::ExplicitCastExpr &c,
                                           clang::ASTContext &) {
    clang::QualType from = c.getSubExpr()->getType();
    clang::QualType to = c.getType();
    switch (c.getCastKind()) {
    case clang::CK_IntegralToPointer:
      return "integer-to-pointer cast forges an address";
    case clang::CK_LValueBitCast:
    case clang::CK_LValueToRValueBitCast:
    case clang::CK_ReinterpretMemberPointer:
      return "cast reinterprets the object's type";
    case clang::CK_BitCast:
      if (changesPointee(from, to))
        return "cast from '" + from.getAsString() + "' to '" +
               to.getAsString() + "' changes the pointee type";
      return std::nullopt;
    case clang::CK_NoOp:
      if (dropsQualifiers(from, to))
        return "cast from '" + from.getAsString() + "' to '" +
               to.getAsString() + "' casts away qualifiers";
      return std::nullopt;
    default:
      return std::nullopt;
    }
  }
};

/// True when a value of \p t contains a data or function pointer somewhere,
/// a vtable pointer included.
bool containsPointer(clang::QualType t, int depth = 0) {
  if (depth > 16 || t.isNull())
    return false;
  t = t.getCanonicalType();
  if (const auto *atomic = t->getAs<clang::AtomicType>())
    return containsPointer(atomic->getValueType(), depth + 1);
  if (t->isPointerType() || t->isReferenceType() || t->isMemberPointerType() ||
      t->isBlockPointerType() || t->isNullPtrType())
    return true;
  if (const auto *a = llvm::dyn_cast<clang::ArrayType>(t.getTypePtr()))
    return containsPointer(a->getElementType(), depth + 1);
  if (const auto *rd = t->getAsRecordDecl()) {
    const auto *def = rd->getDefinition();
    // Incomplete here, defined in another TU: it may hold anything.
    if (def == nullptr)
      return true;
    for (const auto *field : def->fields())
      if (containsPointer(field->getType(), depth + 1))
        return true;
    if (const auto *cxx = llvm::dyn_cast<clang::CXXRecordDecl>(def)) {
      if (cxx->isDynamicClass())
        return true;
      for (const auto &base : cxx->bases())
        if (containsPointer(base.getType(), depth + 1))
          return true;
    }
  }
  return false;
}

class PointerUnionRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R004"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(recordDecl(isUnion(), isDefinition()).bind("union"), this);
  }

  void run(const MatchResult &r) override {
    const auto *u = r.Nodes.getNodeAs<clang::RecordDecl>("union");
    if (!u || u->isDependentContext())
      return;
    for (const auto *field : u->fields())
      if (containsPointer(field->getType())) {
        std::string name = u->getName().empty()
                               ? std::string("anonymous union")
                               : "union '" + u->getNameAsString() + "'";
        report(*r.SourceManager, field->getSourceRange(),
               name + " holds a pointer in member '" +
                   field->getNameAsString() + "'",
               "use a struct (or a tagged struct) for pointer members");
      }
  }
};

class VarargsRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R005"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(functionDecl(isDefinition(), isVariadic()).bind("fn"), this);
  }

  void run(const MatchResult &r) override {
    const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn");
    report(*r.SourceManager, fn->getLocation(),
           "variadic function '" + fn->getNameAsString() + "' is defined here",
           "take a kml::span or a fixed parameter list instead of '...'");
  }
};

class StackAllocationRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R007"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(
        varDecl(hasType(hasCanonicalType(variableArrayType()))).bind("vla"),
        this);
    f.addMatcher(typedefNameDecl(hasType(hasCanonicalType(variableArrayType())))
                     .bind("vlatype"),
                 this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *v = r.Nodes.getNodeAs<clang::VarDecl>("vla"))
      report(sm, v->getSourceRange(),
             "variable-length array '" + v->getNameAsString() + "'",
             "use a fixed-size array or a kml::buffer");
    if (const auto *t = r.Nodes.getNodeAs<clang::TypedefNameDecl>("vlatype"))
      report(sm, t->getSourceRange(), "variable-length array type",
             "use a fixed-size array type");
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn"))
      if (fn->getDeclName().isIdentifier() &&
          isStackAllocationFunction(fn->getName().str()))
        report(sm,
               r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")->getSourceRange(),
               "'" + fn->getNameAsString() + "' allocates on the stack",
               "use a fixed-size array or a kml::buffer");
  }
};

class NonLocalControlRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R013"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(cxxTryStmt().bind("try"), this);
    f.addMatcher(cxxThrowExpr().bind("throw"), this);
    f.addMatcher(cxxDynamicCastExpr().bind("dyn"), this);
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const clang::SourceManager &sm = *r.SourceManager;
    if (const auto *s = r.Nodes.getNodeAs<clang::CXXTryStmt>("try"))
      report(sm, s->getTryLoc(), "try block: exceptions are not allowed",
             "return an error code or a result value");
    if (const auto *e = r.Nodes.getNodeAs<clang::CXXThrowExpr>("throw"))
      report(sm, e->getSourceRange(), "throw: exceptions are not allowed",
             "return an error code or a result value");
    if (const auto *e = r.Nodes.getNodeAs<clang::CXXDynamicCastExpr>("dyn"))
      report(sm, e->getSourceRange(), "dynamic_cast needs RTTI",
             "use a virtual function or an explicit type tag");
    if (const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn"))
      if (fn->getDeclName().isIdentifier() &&
          isNonLocalJumpFunction(fn->getName().str()))
        report(sm,
               r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")->getSourceRange(),
               "'" + fn->getNameAsString() + "' jumps across stack frames",
               "return an error code and unwind by hand");
  }

  // ASTMatchers has no typeid matcher; a walk finds them.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    struct Visitor : clang::RecursiveASTVisitor<Visitor> {
      NonLocalControlRule &rule;
      const clang::SourceManager &sm;
      Visitor(NonLocalControlRule &r, const clang::SourceManager &s)
          : rule(r), sm(s) {}
      bool VisitCXXTypeidExpr(clang::CXXTypeidExpr *e) {
        rule.report(sm, e->getSourceRange(), "typeid needs RTTI",
                    "use a virtual function or an explicit type tag");
        return true;
      }
    } v(*this, ast.getSourceManager());
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }
};

class CompileFlagsRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R014"; }

  void beforeTranslationUnit(const TuCommand &cmd) override {
    std::string all;
    for (const std::string &f : requiredFlags())
      all += (all.empty() ? "" : " ") + f;
    for (const std::string &f : requiredLibraryFlags())
      all += " " + f;
    for (const std::string &flag : missingRequiredFlags(cmd.commandLine))
      ctx_.reportAt(id(), cmd.file, 0, 0,
                    "required compile flag '" + flag + "' is missing",
                    "compile with: " + all);
  }

  // libstdc++ declares std::__glibcxx_assert_fail only when its
  // assertions are on, so the declaration shows what the headers were
  // compiled with, whatever the command line or a #undef did.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    if (!ast.getLangOpts().CPlusPlus)
      return;
    const clang::SourceManager &sm = ast.getSourceManager();
    auto inConfigHeader = [&](const clang::Decl *d) {
      const clang::PresumedLoc where = sm.getPresumedLoc(d->getLocation());
      return where.isValid() && sm.isInSystemHeader(d->getLocation()) &&
             llvm::StringRef(where.getFilename()).ends_with("bits/c++config.h");
    };
    const clang::NamespaceDecl *stdNs = nullptr;
    for (const clang::NamedDecl *d :
         ast.getTranslationUnitDecl()->lookup(&ast.Idents.get("std")))
      if ((stdNs = llvm::dyn_cast<clang::NamespaceDecl>(d)) != nullptr)
        break;
    if (stdNs == nullptr)
      return;
    bool libstdcxx = false; // c++config.h's own std::size_t
    for (const clang::NamedDecl *d : stdNs->lookup(&ast.Idents.get("size_t")))
      libstdcxx = libstdcxx || inConfigHeader(d);
    bool asserted = false;
    for (const clang::NamedDecl *d :
         stdNs->lookup(&ast.Idents.get("__glibcxx_assert_fail")))
      asserted = asserted || inConfigHeader(d);
    if (libstdcxx && !asserted) {
      const clang::FileID main = sm.getMainFileID();
      const clang::OptionalFileEntryRef file = sm.getFileEntryRefForID(main);
      ctx_.reportAt(id(), file ? file->getName().str() : "<main>", 0, 0,
                    "the C++ standard library is compiled without "
                    "_GLIBCXX_ASSERTIONS: its containers' bounds are not "
                    "checked",
                    "compile with -D_GLIBCXX_ASSERTIONS and do not #undef "
                    "it");
    }
  }
};

} // namespace

bool containsPointerType(clang::QualType t) { return containsPointer(t); }

void addLanguageRules(RuleContext &ctx,
                      std::vector<std::unique_ptr<Rule>> &rules) {
  rules.push_back(std::make_unique<InlineAsmRule>(ctx));
  rules.push_back(std::make_unique<CastRule>(ctx));
  rules.push_back(std::make_unique<PointerUnionRule>(ctx));
  rules.push_back(std::make_unique<VarargsRule>(ctx));
  rules.push_back(std::make_unique<StackAllocationRule>(ctx));
  rules.push_back(std::make_unique<NonLocalControlRule>(ctx));
  rules.push_back(std::make_unique<CompileFlagsRule>(ctx));
}

} // namespace kml::verify
