// KML-R014: the TU is compiled with the required flags (core/FlagChecker),
// which supply the run-time checks the static rules rely on, and C++
// against libstdc++ with its assertions on (_GLIBCXX_ASSERTIONS), so the
// library checks its containers' bounds.
#include "core/FlagChecker.hpp"
#include "rules/Rules.hpp"

#include <clang/AST/ASTContext.h>

#include <string>

namespace kml::verify {
namespace {

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
         ast.getTranslationUnitDecl()->lookup(&ast.Idents.get("std"))) {
      stdNs = llvm::dyn_cast<clang::NamespaceDecl>(d);
      if (stdNs != nullptr)
        break;
    }
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

std::unique_ptr<Rule> makeCompileFlagsRule(RuleContext &ctx) {
  return std::make_unique<CompileFlagsRule>(ctx);
}

} // namespace kml::verify
