// KML-R008: bounded stack. Frame sizes come from code generation of the TU
// with its own flags (-fstack-usage output); the call graph comes from the
// AST. Everything is combined across TUs in finishProgram().
#include "core/StackGraph.hpp"
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Attr.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/Builtins.h>

#include <fstream>
#include <set>

namespace kml::verify {
namespace {

constexpr std::string_view kBoundPrefix = "kml::recursion_bound(";

/// Parses [[clang::annotate("kml::recursion_bound(N)")]].
std::optional<std::uint64_t> recursionBound(const clang::FunctionDecl &fn) {
  for (const auto *attr : fn.specific_attrs<clang::AnnotateAttr>()) {
    llvm::StringRef text = attr->getAnnotation();
    if (!text.consume_front(kBoundPrefix) || !text.consume_back(")"))
      continue;
    std::uint64_t n = 0;
    if (!text.trim().getAsInteger(10, n) && n > 0)
      return n;
  }
  return std::nullopt;
}

std::string indirectNode(clang::QualType fnType) {
  return "indirect call through '" + fnType.getCanonicalType().getAsString() +
         "'";
}

class StackRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R008"; }

  void checkTranslationUnit(clang::ASTContext &ast) override {
    pending_.clear();
    Collector c(*this, ast);
    c.TraverseDecl(ast.getTranslationUnitDecl());
  }

  void afterCodeGen(const std::filesystem::path &stackUsage) override {
    std::map<std::string, std::pair<std::uint64_t, bool>> frames;
    std::ifstream in(stackUsage);
    if (!in && !pending_.empty() && !mainFile_.empty())
      ctx_.reportAt(id(), mainFile_, 0, 0,
                    "frame sizes are unavailable (code generation failed)");
    // Lines look like "file.c:12:name<TAB>48<TAB>static".
    for (std::string line; std::getline(in, line);) {
      std::size_t tab = line.find('\t');
      if (tab == std::string::npos)
        continue;
      std::string where = line.substr(0, tab);
      std::size_t colon = where.rfind(':');
      std::string name =
          colon == std::string::npos ? where : where.substr(colon + 1);
      std::size_t tab2 = line.find('\t', tab + 1);
      std::uint64_t size = std::strtoull(
          line.substr(tab + 1, tab2 - tab - 1).c_str(), nullptr, 10);
      std::string kind = tab2 == std::string::npos ? "" : line.substr(tab2 + 1);
      bool dynamic = kind.find("dynamic") != std::string::npos &&
                     kind.find("bounded") == std::string::npos;
      auto &slot = frames[name];
      slot.first = std::max(slot.first, size);
      slot.second |= dynamic;
    }
    for (auto &p : pending_) {
      for (const std::string &n : p.symbols)
        if (auto it = frames.find(n); it != frames.end()) {
          p.info.frame = std::max(p.info.frame, it->second.first);
          p.info.dynamicFrame |= it->second.second;
        }
      graph_.addFunction(p.key, p.info);
    }
    for (const auto &[caller, callee] : edges_)
      graph_.addCall(caller, callee);
    pending_.clear();
    edges_.clear();
  }

  void finishProgram() override {
    // An indirect call may reach any address-taken function of its type.
    for (const auto &[node, type] : indirectNodes_)
      for (const auto &[fnKey, fnType] : addressTaken_)
        if (fnType == type)
          graph_.addCall(node, fnKey);
    // A virtual call reaches the named method (if it has a body) and every
    // overrider of it, transitively.
    for (const auto &[node, base] : virtualNodes_) {
      std::vector<std::string> work{base};
      std::set<std::string> seen{base};
      while (!work.empty()) {
        std::string m = work.back();
        work.pop_back();
        auto fn = graph_.functions().find(m);
        if (fn != graph_.functions().end() && fn->second.defined)
          graph_.addCall(node, m);
        if (auto it = overriders_.find(m); it != overriders_.end())
          for (const std::string &o : it->second)
            if (seen.insert(o).second)
              work.push_back(o);
      }
    }

    for (const std::string &key : graph_.unboundedRecursion()) {
      const StackFunction &f = graph_.functions().at(key);
      if (f.application)
        ctx_.reportAt(id(), f.file, f.line, f.column,
                      "'" + f.displayName +
                          "' is recursive but has no recursion bound",
                      "make it iterative, or annotate every function of the "
                      "cycle with [[clang::annotate(\"kml::recursion_bound(N)"
                      "\")]]");
    }
    const std::uint64_t limit = ctx_.options().stackLimit;
    for (const std::string &root : graph_.roots()) {
      StackPath path = graph_.worstCase(root);
      const StackFunction &f = graph_.functions().at(root);
      std::string chain;
      for (const std::string &n : path.names)
        chain += (chain.empty() ? "" : " -> ") + n;
      if (path.unbounded)
        ctx_.reportAt(id(), f.file, f.line, f.column,
                      "stack of '" + f.displayName +
                          "' is unbounded: a dynamic frame on " + chain,
                      "remove the variable-size stack allocation");
      else if (path.bytes > limit)
        ctx_.reportAt(id(), f.file, f.line, f.column,
                      "worst-case stack from '" + f.displayName + "' is " +
                          std::to_string(path.bytes) +
                          " bytes, over the limit of " + std::to_string(limit) +
                          " (" + chain + ")",
                      "move large locals to a kml::buffer, or raise "
                      "--stack-limit if the kernel stack allows it");
    }
  }

private:
  struct PendingFunction {
    std::string key;
    std::vector<std::string> symbols;
    StackFunction info;
  };

  /// Walks every function body of the TU: nodes, direct edges, indirect
  /// call sites and address-taken functions.
  class Collector : public clang::RecursiveASTVisitor<Collector> {
  public:
    Collector(StackRule &rule, clang::ASTContext &ast)
        : rule_(rule), ast_(ast), sm_(ast.getSourceManager()) {}
    static bool shouldVisitTemplateInstantiations() { return true; }
    static bool shouldVisitImplicitCode() { return true; }

    bool TraverseFunctionDecl(clang::FunctionDecl *fn) {
      return traverseFunction(
          fn, [&] { return RecursiveASTVisitor::TraverseFunctionDecl(fn); });
    }
    bool TraverseCXXMethodDecl(clang::CXXMethodDecl *fn) {
      return traverseFunction(
          fn, [&] { return RecursiveASTVisitor::TraverseCXXMethodDecl(fn); });
    }
    bool TraverseCXXConstructorDecl(clang::CXXConstructorDecl *fn) {
      return traverseFunction(fn, [&] {
        return RecursiveASTVisitor::TraverseCXXConstructorDecl(fn);
      });
    }
    bool TraverseCXXDestructorDecl(clang::CXXDestructorDecl *fn) {
      return traverseFunction(fn, [&] {
        return RecursiveASTVisitor::TraverseCXXDestructorDecl(fn);
      });
    }
    bool TraverseCXXConversionDecl(clang::CXXConversionDecl *fn) {
      return traverseFunction(fn, [&] {
        return RecursiveASTVisitor::TraverseCXXConversionDecl(fn);
      });
    }

    bool VisitCallExpr(clang::CallExpr *call) {
      // An unqualified virtual call may reach any overrider.
      if (const auto *mc = llvm::dyn_cast<clang::CXXMemberCallExpr>(call))
        if (const auto *m = mc->getMethodDecl(); m && m->isVirtual())
          if (const auto *me = llvm::dyn_cast<clang::MemberExpr>(
                  mc->getCallee()->IgnoreParens());
              me && !me->hasQualifier() && current_) {
            std::string base = key(*m);
            std::string node =
                "virtual call of '" + m->getQualifiedNameAsString() + "'";
            StackFunction synthetic = StackFunction::named(node);
            synthetic.defined = true; // costs nothing itself
            rule_.graph_.addFunction(node, synthetic);
            rule_.virtualNodes_[node] = base;
            rule_.edges_.emplace_back(*current_, node);
            return true;
          }
      if (const clang::FunctionDecl *callee = call->getDirectCallee()) {
        directCallees_.insert(call->getCallee()->IgnoreParenImpCasts());
        edgeTo(*callee);
        return true;
      }
      if (!current_)
        return true;
      clang::QualType t = call->getCallee()->getType();
      if (t->isPointerType())
        t = t->getPointeeType();
      else if (t->isMemberFunctionPointerType())
        t = t->castAs<clang::MemberPointerType>()->getPointeeType();
      if (!t->isFunctionType())
        return true;
      std::string node = indirectNode(t);
      rule_.indirectNodes_[node] = t.getCanonicalType().getAsString();
      StackFunction synthetic = StackFunction::named(node);
      synthetic.defined = true; // costs nothing itself
      rule_.graph_.addFunction(node, synthetic);
      rule_.edges_.emplace_back(*current_, node);
      return true;
    }
    bool VisitCXXMethodDecl(clang::CXXMethodDecl *m) {
      if (m->isDependentContext())
        return true;
      for (const clang::CXXMethodDecl *base : m->overridden_methods())
        rule_.overriders_[key(*base)].insert(key(*m));
      return true;
    }
    bool VisitCXXConstructExpr(clang::CXXConstructExpr *e) {
      if (const auto *ctor = e->getConstructor())
        edgeTo(*ctor);
      return true;
    }
    bool VisitCXXNewExpr(clang::CXXNewExpr *e) {
      if (const auto *op = e->getOperatorNew())
        edgeTo(*op);
      return true;
    }
    bool VisitCXXDeleteExpr(clang::CXXDeleteExpr *e) {
      if (const auto *op = e->getOperatorDelete())
        edgeTo(*op);
      return true;
    }
    // Destructors of locals run at scope exit; the AST does not show the
    // call, so add it per variable.
    bool VisitVarDecl(clang::VarDecl *v) {
      if (!current_ || !v->hasLocalStorage())
        return true;
      if (const auto *rd = v->getType()->getAsCXXRecordDecl())
        if (rd->hasDefinition())
          if (const auto *dtor = rd->getDestructor();
              dtor && !dtor->isTrivial())
            edgeTo(*dtor);
      return true;
    }
    bool VisitDeclRefExpr(clang::DeclRefExpr *ref) {
      const auto *fn = llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl());
      if (!fn || directCallees_.contains(ref))
        return true;
      // The address of a function is taken: a possible indirect target.
      rule_.addressTaken_.insert(
          {key(*fn), fn->getType().getCanonicalType().getAsString()});
      return true;
    }

  private:
    template <typename Base>
    bool traverseFunction(clang::FunctionDecl *fn, Base base) {
      if (!fn->doesThisDeclarationHaveABody() || fn->isDependentContext() ||
          fn->isInvalidDecl())
        return base();
      std::string k = key(*fn);
      PendingFunction p{k, rule_.symbols_.allNames(*fn), describe(*fn)};
      p.info.defined = true;
      p.info.recursionBound = recursionBound(*fn);
      if (rule_.mainFile_.empty())
        rule_.mainFile_ = p.info.file;
      rule_.pending_.push_back(std::move(p));
      std::optional<std::string> saved = current_;
      current_ = k;
      bool ok = base();
      current_ = saved;
      return ok;
    }

    StackFunction describe(const clang::FunctionDecl &fn) {
      StackFunction f;
      f.displayName = fn.getQualifiedNameAsString();
      clang::PresumedLoc p =
          sm_.getPresumedLoc(sm_.getExpansionLoc(fn.getLocation()));
      if (p.isValid()) {
        f.file = p.getFilename();
        f.line = p.getLine();
        f.column = p.getColumn();
      }
      f.application = rule_.isApplication(sm_, fn.getLocation());
      return f;
    }

    std::string key(const clang::FunctionDecl &fn) {
      return rule_.symbols_.name(*fn.getCanonicalDecl());
    }

    void edgeTo(const clang::FunctionDecl &callee) {
      if (!current_)
        return;
      if (unsigned id = callee.getBuiltinID())
        if (!ast_.BuiltinInfo.isLibFunction(id) &&
            !ast_.BuiltinInfo.isPredefinedLibFunction(id))
          return; // expanded inline, no call
      if (callee.isDependentContext())
        return;
      std::string k = key(callee);
      if (!callee.isDefined())
        rule_.graph_.addFunction(k, describe(callee));
      rule_.edges_.emplace_back(*current_, k);
    }

    StackRule &rule_;
    clang::ASTContext &ast_;
    const clang::SourceManager &sm_;
    std::optional<std::string> current_;
    std::set<const clang::Expr *> directCallees_;
  };

  StackGraph graph_{ctx_.options().externalCallBudget};
  SymbolNames symbols_;
  std::vector<PendingFunction> pending_;
  std::vector<std::pair<std::string, std::string>> edges_;
  std::map<std::string, std::string> indirectNodes_; // node -> type
  std::map<std::string, std::string> virtualNodes_;  // node -> method
  std::map<std::string, std::set<std::string>> overriders_;
  std::set<std::pair<std::string, std::string>> addressTaken_;
  std::string mainFile_;
};

} // namespace

std::unique_ptr<Rule> makeStackRule(RuleContext &ctx) {
  return std::make_unique<StackRule>(ctx);
}

} // namespace kml::verify
