// What several rules ask of two expressions: do they name the same object?
#include "rules/Rules.hpp"

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

} // namespace kml::verify
