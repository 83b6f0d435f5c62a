// KML-R015: no executable memory made at run time. While a ring-0 task is
// current SMEP is relaxed for its user pages, so NX is what keeps CPL 0 off
// any user memory but the program's own code from its ELF file (see
// docs/ring0.md). Every libc entry that can make a page executable takes the
// bit in one argument; it must be a constant with that bit clear.
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace kml::verify {
namespace {

using namespace clang::ast_matchers;
using MatchResult = MatchFinder::MatchResult;

/// A function that can make memory executable, and the argument that says
/// whether it does.
struct ExecSource {
  std::string_view name;
  unsigned arg;      // index of the argument carrying the bit
  std::uint64_t bit; // the bit that makes memory executable
  std::string_view bitName;
  std::string_view argName;
};

// remap_file_pages() is not here: its protection must be 0 (EINVAL
// otherwise), so it cannot add PROT_EXEC. Raw syscall() is KML-R002's.
constexpr std::uint64_t kProtExec = 0x4;
constexpr std::uint64_t kShmExec = 0100000;
constexpr std::uint64_t kReadImpliesExec = 0x0400000;
constexpr ExecSource kSources[] = {
    {"mmap", 2, kProtExec, "PROT_EXEC", "protection"},
    {"mmap64", 2, kProtExec, "PROT_EXEC", "protection"},
    {"__mmap", 2, kProtExec, "PROT_EXEC", "protection"},
    {"__mmap64", 2, kProtExec, "PROT_EXEC", "protection"},
    {"mprotect", 2, kProtExec, "PROT_EXEC", "protection"},
    {"__mprotect", 2, kProtExec, "PROT_EXEC", "protection"},
    {"pkey_mprotect", 2, kProtExec, "PROT_EXEC", "protection"},
    {"shmat", 2, kShmExec, "SHM_EXEC", "flags"},
    {"personality", 0, kReadImpliesExec, "READ_IMPLIES_EXEC", "persona"},
};

const ExecSource *findSource(const clang::FunctionDecl &fn) {
  if (!fn.getDeclName().isIdentifier() ||
      !fn.getDeclContext()->getRedeclContext()->isTranslationUnit())
    return nullptr; // members and namespaced functions are the program's
  llvm::StringRef name = fn.getName();
  for (const ExecSource &s : kSources)
    if (name == llvm::StringRef(s.name.data(), s.name.size()))
      return &s;
  return nullptr;
}

auto sourceFunction() {
  return functionDecl(hasAnyName("::mmap", "::mmap64", "::__mmap", "::__mmap64",
                                 "::mprotect", "::__mprotect",
                                 "::pkey_mprotect", "::shmat", "::personality"))
      .bind("fn");
}

class ExecMemoryRule : public Rule {
public:
  using Rule::Rule;
  std::string_view id() const override { return "KML-R015"; }

  void registerMatchers(MatchFinder &f) override {
    f.addMatcher(callExpr(callee(sourceFunction())).bind("call"), this);
    f.addMatcher(declRefExpr(to(sourceFunction())).bind("ref"), this);
  }

  void run(const MatchResult &r) override {
    const auto *fn = r.Nodes.getNodeAs<clang::FunctionDecl>("fn");
    const ExecSource *src = fn ? findSource(*fn) : nullptr;
    if (!src)
      return;
    if (const auto *call = r.Nodes.getNodeAs<clang::CallExpr>("call")) {
      callees_.insert(call->getCallee()->IgnoreParenImpCasts());
      checkCall(*call, *src, *r.Context, *r.SourceManager);
    } else if (const auto *ref = r.Nodes.getNodeAs<clang::DeclRefExpr>("ref")) {
      refs_.push_back({ref, src});
    }
  }

  // Matchers have all run: a reference that is not the callee of a checked
  // call lets the function be called with an argument nobody sees.
  void checkTranslationUnit(clang::ASTContext &ast) override {
    const clang::SourceManager &sm = ast.getSourceManager();
    for (const auto &[ref, src] : refs_) {
      if (callees_.contains(ref))
        continue;
      std::string name(src->name);
      report(sm, ref->getSourceRange(),
             "address of '" + name + "' taken: the " +
                 std::string(src->argName) + " of its calls cannot be " +
                 "checked for " + std::string(src->bitName),
             "call '" + name + "' directly with a constant " +
                 std::string(src->argName) + " without " +
                 std::string(src->bitName));
    }
    refs_.clear();
    callees_.clear();
  }

private:
  void checkCall(const clang::CallExpr &call, const ExecSource &src,
                 const clang::ASTContext &ast, const clang::SourceManager &sm) {
    std::string name(src.name);
    std::string bit(src.bitName);
    std::string argName(src.argName);
    if (call.getNumArgs() <= src.arg) {
      report(sm, call.getSourceRange(),
             "call to '" + name + "' without its " + argName +
                 " argument: cannot prove " + bit + " clear",
             "declare '" + name + "' through its system header");
      return;
    }
    const clang::Expr *arg = call.getArg(src.arg);
    if (arg->isValueDependent() || arg->isInstantiationDependent())
      return; // checked in each instantiation
    clang::Expr::EvalResult value;
    if (!arg->EvaluateAsInt(value, ast)) {
      report(sm, arg->getSourceRange(),
             "'" + name + "' " + argName + " not a constant: cannot prove " +
                 bit + " clear",
             "pass a constant " + argName + " without " + bit +
                 suggestionExamples(src));
      return;
    }
    std::uint64_t v = value.Val.getInt().getZExtValue();
    // personality(0xffffffff) only queries the persona.
    if (src.bit == kReadImpliesExec && (v & 0xffffffffu) == 0xffffffffu)
      return;
    if (!(v & src.bit))
      return;
    report(sm, arg->getSourceRange(), consequence(src), fixFor(src));
  }

  static std::string consequence(const ExecSource &src) {
    std::string name(src.name);
    if (src.bit == kReadImpliesExec)
      return "'personality' with READ_IMPLIES_EXEC makes every readable "
             "mapping executable; a ring-0 program may execute only its own "
             "ELF code (SMEP is relaxed for it, NX is the guard)";
    return "'" + name + "' with " + std::string(src.bitName) +
           " makes memory executable at run time; a ring-0 program may "
           "execute only its own ELF code (SMEP is relaxed for it, NX is the "
           "guard)";
  }

  static std::string fixFor(const ExecSource &src) {
    if (src.bit == kReadImpliesExec)
      return "leave the persona without READ_IMPLIES_EXEC";
    return "drop " + std::string(src.bitName) +
           "; interpret or dispatch through a table of named functions "
           "instead of generating code";
  }

  static std::string suggestionExamples(const ExecSource &src) {
    if (src.bit == kProtExec)
      return " (PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE)";
    return "";
  }

  struct Ref {
    const clang::DeclRefExpr *ref;
    const ExecSource *src;
  };
  std::vector<Ref> refs_;
  std::set<const clang::Expr *> callees_;
};

} // namespace

std::unique_ptr<Rule> makeExecMemoryRule(RuleContext &ctx) {
  return std::make_unique<ExecMemoryRule>(ctx);
}

} // namespace kml::verify
