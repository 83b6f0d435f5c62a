// KML-R002: only allowlisted external functions may be called or have
// their address taken: external code is not verified, and the allowlist
// names what has been reviewed at CPL 0. No raw syscall(), no builtin that
// exposes the machine state; C's unbounded writers (sprintf, gets,
// strcpy...) are refused with their bounded spelling. A function the
// program declares must be defined in one of its TUs (finishProgram()).
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <clang/Basic/Builtins.h>
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

/// Generic builtins that expose the machine (stack layout, return
/// addresses, unwinding) rather than compute something.
bool isDeniedGenericBuiltin(llvm::StringRef name) {
  static constexpr std::string_view kDenied[] = {
      "__builtin_frame_address",
      "__builtin_return_address",
      "__builtin_extract_return_addr",
      "__builtin_frob_return_addr",
      "__builtin_eh_return",
      "__builtin_unwind_init",
      "__builtin_dwarf_cfa",
      "__builtin_dwarf_sp_column",
      "__builtin_init_dwarf_reg_size_table",
      "__builtin___clear_cache",
      "__builtin_thread_pointer",
      "__builtin_sponentry",
      "__builtin_call_with_static_chain",
      "__builtin_longjmp",
      "__builtin_setjmp",
      "__builtin_va_arg_pack"};
  const std::string_view wanted(name.data(), name.size());
  return std::ranges::any_of(
      kDenied, [wanted](std::string_view d) { return wanted == d; });
}

class ExternalFunctionRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R002"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(declRefExpr(to(functionDecl().bind("fn"))).bind("ref"), this);
    f.addMatcher(memberExpr(member(cxxMethodDecl().bind("fn"))).bind("ref"),
                 this);
    f.addMatcher(
        cxxConstructExpr(hasDeclaration(cxxConstructorDecl().bind("fn")))
            .bind("ref"),
        this);
    // C's writers that take no bound: refused with the bounded spelling.
    f.addMatcher(callExpr(callee(functionDecl(hasAnyName(
                              "::sprintf", "::vsprintf", "::gets", "::strcpy",
                              "::stpcpy", "::strcat", "::wcscpy", "::wcscat"))))
                     .bind("unbounded"),
                 this);
  }

  void run(const MatchResult &r) override {
    if (const auto *call = r.Nodes.getNodeAs<clang::CallExpr>("unbounded")) {
      reportUnbounded(*call, *r.Context);
      return;
    }
    const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn");
    const auto *ref = r.Nodes.getNodeAs<clang::Expr>("ref");
    if (ref != nullptr && unboundedCallees_.contains(ref))
      return; // reported with its fix-it
    if (!fn || !ref)
      return;
    const clang::SourceManager &sm = *r.SourceManager;
    clang::SourceLocation loc = ref->getExprLoc();
    if (!isApplication(sm, loc))
      return;
    if (llvm::isa<clang::CXXMethodDecl>(fn) &&
        (fn->isImplicit() || fn->isTrivial() || fn->isDefaulted()))
      return; // compiler-generated special members of the program's types
    const clang::FunctionDecl *canon = fn->getCanonicalDecl();
    if (ctx_.isRuntime(sm, canon->getLocation()) ||
        ctx_.isRuntime(sm, fn->getLocation()))
      return; // reviewed runtime
    if (isAllocationFunction(*fn))
      return; // KML-R012
    std::string name = plainQualifiedName(*fn);
    if (isNonLocalJumpFunction(name) || isStackAllocationFunction(name))
      return; // KML-R013 / KML-R007

    if (unsigned builtin = fn->getBuiltinID()) {
      if (r.Context->BuiltinInfo.isTSBuiltin(builtin))
        return; // KML-R001
      llvm::StringRef spelled = fn->getName();
      // Compiler builtins (__builtin_*, __sync_*, __atomic_*) compute in
      // place; only the ones that expose machine state are refused.
      if (spelled.starts_with("__builtin_") || spelled.starts_with("__sync_") ||
          spelled.starts_with("__atomic_") || spelled.starts_with("__c11_")) {
        if (isDeniedGenericBuiltin(spelled))
          report(sm, ref->getSourceRange(),
                 "builtin '" + name + "' exposes the machine state",
                 "remove it");
        return;
      }
      // A library function Clang knows (memcpy, printf, std::move).
      if (!isAllowlistedExternal(spelled.str()) && !isAllowlistedExternal(name))
        reportCall(sm, ref, name);
      return;
    }
    if (isAllowlistedExternal(name) || isAdmittedLibraryFunction(*fn))
      return;
    if (const auto *method = llvm::dyn_cast<clang::CXXMethodDecl>(fn);
        method && method->isVirtual() &&
        !sm.isInSystemHeader(canon->getLocation()))
      return; // dispatches to the program's own overriders
    if (sm.isInSystemHeader(canon->getLocation()) ||
        sm.isInSystemHeader(fn->getLocation()) || canon->isImplicit()) {
      reportCall(sm, ref, name);
      return;
    }
    // Declared by the application: fine if some TU of the program
    // defines it, decided once all TUs are seen.
    if (fn->isDefined())
      return;
    pending_.push_back({symbols_.name(*fn), makeFinding(sm, ref, name)});
  }

  void checkTranslationUnit(clang::ASTContext &ast) override {
    struct Visitor : clang::RecursiveASTVisitor<Visitor> {
      ExternalFunctionRule &rule;
      explicit Visitor(ExternalFunctionRule &r) : rule(r) {}
      static bool shouldVisitTemplateInstantiations() { return true; }
      bool VisitFunctionDecl(clang::FunctionDecl *fn) {
        if (fn->doesThisDeclarationHaveABody() && !fn->isDependentContext())
          rule.defined_.insert(rule.symbols_.name(*fn));
        return true;
      }
    } v(*this);
    v.TraverseDecl(ast.getTranslationUnitDecl());
  }

  void finishProgram() override {
    for (auto &p : pending_)
      if (!defined_.contains(p.symbol))
        ctx_.add(std::move(p.finding));
    pending_.clear();
  }

private:
  // sprintf(buf, ...)  -> snprintf(buf, sizeof buf, ...)
  // gets(buf)          -> fgets(buf, sizeof buf, stdin)
  // strcpy(dst, src)   -> snprintf(dst, sizeof dst, "%s", src)
  // The edit is offered when the destination is an array the program
  // names, the one case where `sizeof` is its size.
  void reportUnbounded(const clang::CallExpr &call,
                       const clang::ASTContext &ast) {
    const clang::SourceManager &sm = ast.getSourceManager();
    const clang::FunctionDecl *fn = call.getDirectCallee();
    const clang::Expr *callee = call.getCallee()->IgnoreParenImpCasts();
    unboundedCallees_.insert(callee);
    if (fn == nullptr || !isApplication(sm, call.getExprLoc()))
      return;
    const std::string name = fn->getNameAsString();
    auto text = [&](const clang::Expr *e) {
      return clang::Lexer::getSourceText(
                 clang::CharSourceRange::getTokenRange(e->getSourceRange()), sm,
                 ast.getLangOpts())
          .str();
    };
    const clang::Expr *dest =
        call.getNumArgs() > 0 ? call.getArg(0)->IgnoreParenImpCasts() : nullptr;
    const bool namedArray =
        dest != nullptr && llvm::isa<clang::DeclRefExpr>(dest) &&
        ast.getAsConstantArrayType(dest->getType()) != nullptr &&
        !call.getBeginLoc().isMacroID() && !call.getEndLoc().isMacroID();
    std::string suggestion;
    std::string replacement;
    const std::string d = dest != nullptr ? text(dest) : "buf";
    if (name == "sprintf" || name == "vsprintf") {
      suggestion = std::string("use ") +
                   (name == "sprintf" ? "snprintf" : "vsnprintf") + "(" + d +
                   ", sizeof " + d +
                   ", ...), which stops at the "
                   "end of the buffer";
      if (namedArray && call.getNumArgs() >= 2) {
        replacement = (name == "sprintf" ? "snprintf(" : "vsnprintf(") + d +
                      ", sizeof " + d;
        for (unsigned i = 1; i < call.getNumArgs(); ++i)
          replacement += ", " + text(call.getArg(i));
        replacement += ")";
      }
    } else if (name == "gets") {
      suggestion = "use fgets(" + d + ", sizeof " + d + ", stdin)";
      if (namedArray)
        replacement = "fgets(" + d + ", sizeof " + d + ", stdin)";
    } else if ((name == "strcpy" || name == "stpcpy") &&
               call.getNumArgs() == 2) {
      suggestion = "use snprintf(" + d + ", sizeof " + d +
                   ", \"%s\", src), which stops at the end of the buffer";
      if (namedArray && name == "strcpy")
        replacement = "snprintf(" + d + ", sizeof " + d + ", \"%s\", " +
                      text(call.getArg(1)) + ")";
    } else {
      suggestion = "build the string with snprintf into a buffer of known "
                   "size, or use std::string";
    }
    std::optional<FixIt> fix;
    if (!replacement.empty()) {
      const clang::SourceLocation begin = call.getBeginLoc();
      const clang::SourceLocation end = clang::Lexer::getLocForEndOfToken(
          call.getEndLoc(), 0, sm, ast.getLangOpts());
      const clang::PresumedLoc p = sm.getPresumedLoc(begin);
      if (p.isValid() && sm.isWrittenInSameFile(begin, end))
        fix =
            FixIt{p.getLine(), p.getColumn(),
                  sm.getFileOffset(end) - sm.getFileOffset(begin), replacement};
    }
    ctx_.report(id(), sm, call.getSourceRange(),
                "'" + name + "' writes with no bound on the destination",
                suggestion, std::move(fix));
  }

  Finding makeFinding(const clang::SourceManager &sm, const clang::Expr *ref,
                      const std::string &name) const {
    if (name == "syscall")
      return RuleContext::makeFinding(
          id(), sm, ref->getSourceRange(),
          "raw syscall() bypasses the reviewed libc wrappers",
          "call the libc wrapper (getpid(), write(), ...) instead");
    return RuleContext::makeFinding(
        id(), sm, ref->getSourceRange(),
        "call to external function '" + name + "', which is not allowlisted",
        "use an allowlisted function (kml-verify --list-allowlist) or a "
        "kml runtime helper");
  }
  void reportCall(const clang::SourceManager &sm, const clang::Expr *ref,
                  const std::string &name) {
    ctx_.add(makeFinding(sm, ref, name));
  }

  struct Pending {
    std::string symbol;
    Finding finding;
  };
  std::vector<Pending> pending_;
  std::set<std::string> defined_;
  SymbolNames symbols_;
  std::set<const clang::Expr *> unboundedCallees_;
};

} // namespace

std::unique_ptr<Rule> makeExternalFunctionRule(RuleContext &ctx) {
  return std::make_unique<ExternalFunctionRule>(ctx);
}

} // namespace kml::verify
