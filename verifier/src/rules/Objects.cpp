// What several rules ask of expressions and types: do two expressions name
// the same object, is a type made of the library's classes alone?
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>

namespace kml::verify {

bool sameNamedObject(const clang::Expr *a, const clang::Expr *b) {
  a = a->IgnoreParenImpCasts();
  b = b->IgnoreParenImpCasts();
  if (const auto *ra = llvm::dyn_cast<clang::DeclRefExpr>(a)) {
    const auto *rb = llvm::dyn_cast<clang::DeclRefExpr>(b);
    return rb != nullptr && llvm::isa<clang::VarDecl>(ra->getDecl()) &&
           ra->getDecl()->getCanonicalDecl() ==
               rb->getDecl()->getCanonicalDecl();
  }
  if (const auto *ma = llvm::dyn_cast<clang::MemberExpr>(a)) {
    const auto *mb = llvm::dyn_cast<clang::MemberExpr>(b);
    return mb != nullptr && llvm::isa<clang::FieldDecl>(ma->getMemberDecl()) &&
           ma->getMemberDecl() == mb->getMemberDecl() &&
           ma->isArrow() == mb->isArrow() &&
           sameNamedObject(ma->getBase(), mb->getBase());
  }
  if (const auto *ua = llvm::dyn_cast<clang::UnaryOperator>(a);
      ua != nullptr && ua->getOpcode() == clang::UO_Deref) {
    const auto *ub = llvm::dyn_cast<clang::UnaryOperator>(b);
    return ub != nullptr && ub->getOpcode() == clang::UO_Deref &&
           sameNamedObject(ua->getSubExpr(), ub->getSubExpr());
  }
  return llvm::isa<clang::CXXThisExpr>(a) && llvm::isa<clang::CXXThisExpr>(b);
}

unsigned firstParameterArgument(const clang::CallExpr &call,
                                const clang::FunctionDecl &fn) {
  return llvm::isa<clang::CXXOperatorCallExpr>(call) &&
                 llvm::isa<clang::CXXMethodDecl>(fn)
             ? 1
             : 0;
}

/// Is \p t made of numbers and the library's classes alone (no class of
/// the program's own, no lambda, anywhere in it)?
bool onlyLibraryTypes(clang::QualType t, unsigned depth) {
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
  if (!rec->getASTContext().getSourceManager().isInSystemHeader(
          rec->getLocation()) ||
      rec->isLambda())
    return false;
  if (const auto *spec =
          llvm::dyn_cast<clang::ClassTemplateSpecializationDecl>(rec))
    for (const clang::TemplateArgument &a : spec->getTemplateArgs().asArray())
      if (a.getKind() == clang::TemplateArgument::Type &&
          !onlyLibraryTypes(a.getAsType(), depth + 1))
        return false;
  return true;
}

} // namespace kml::verify
