#include "core/Verifier.hpp"

#include "core/FlagChecker.hpp"
#include "core/Sha256.hpp"
#include "rules/Rules.hpp"

#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/PPCallbacks.h>
#include <clang/Lex/Preprocessor.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <utility>

namespace kml::verify {
namespace {

/// A private scratch directory for the object and .su files of one TU,
/// removed with everything in it.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<128> p;
    if (!llvm::sys::fs::createUniqueDirectory("kml-verify", p))
      path_ = std::string(p.str());
  }
  ~TempDir() {
    if (!path_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::filesystem::path &path() const { return path_; }
  bool ok() const { return !path_.empty(); }

private:
  std::filesystem::path path_;
};

/// Routes Clang's diagnostics: errors are printed (they make the TU
/// unverifiable), warnings a rule claims become findings, the rest of the
/// application's warnings are not ours to report.
class RoutingDiagnostics : public clang::DiagnosticConsumer {
public:
  RoutingDiagnostics(RuleContext &ctx,
                     std::map<std::string, std::string> claimed)
      : ctx_(ctx), claimed_(std::move(claimed)),
        options_(new clang::DiagnosticOptions()),
        printer_(llvm::errs(), options_.get()) {}

  void BeginSourceFile(const clang::LangOptions &lo,
                       const clang::Preprocessor *pp) override {
    printer_.BeginSourceFile(lo, pp);
  }
  void EndSourceFile() override { printer_.EndSourceFile(); }
  void clear() override {
    DiagnosticConsumer::clear();
    printer_.clear();
  }

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic &info) override {
    if (level >= clang::DiagnosticsEngine::Error) {
      // Only errors are counted: Clang's "N warnings generated" would be
      // noise for warnings that became findings.
      DiagnosticConsumer::HandleDiagnostic(level, info);
      printer_.HandleDiagnostic(level, info);
      lastPrinted_ = true;
      return;
    }
    if (level == clang::DiagnosticsEngine::Note) {
      if (lastPrinted_)
        printer_.HandleDiagnostic(level, info);
      else if (lastClaimed_ && info.hasSourceManager())
        takeFixIt(info);
      return;
    }
    lastPrinted_ = false;
    lastClaimed_ = false;
    if (level != clang::DiagnosticsEngine::Warning || !info.hasSourceManager())
      return;
    llvm::StringRef option =
        clang::DiagnosticIDs::getWarningOptionForDiag(info.getID());
    auto it = claimed_.find(option.str());
    if (it == claimed_.end())
      return;
    const clang::SourceManager &sm = info.getSourceManager();
    if (!ctx_.isApplication(sm, info.getLocation()))
      return;
    llvm::SmallString<128> text;
    info.FormatDiagnostic(text);
    clang::SourceRange range(info.getLocation());
    if (info.getNumRanges() > 0)
      range = info.getRange(0).getAsRange();
    if (range.getBegin() != info.getLocation())
      range = clang::SourceRange(info.getLocation());
    ctx_.report(it->second, sm, range, std::string(text.str()),
                suggestionFor(it->second));
    lastClaimed_ = true;
  }

private:
  /// Clang's notes ("initialize the variable 'x' to silence this warning")
  /// carry the fix-it for the warning before them.
  void takeFixIt(const clang::Diagnostic &note) {
    if (note.getNumFixItHints() == 0)
      return;
    // Only the "initialize the variable" kind; other notes offer edits that
    // change the program's logic (removing an `if`).
    llvm::SmallString<128> text;
    note.FormatDiagnostic(text);
    if (!text.str().starts_with("initialize the variable"))
      return;
    const clang::FixItHint &hint = note.getFixItHint(0);
    const clang::SourceManager &sm = note.getSourceManager();
    clang::SourceLocation begin =
        sm.getExpansionLoc(hint.RemoveRange.getBegin());
    if (begin.isInvalid())
      return;
    FixIt fix;
    fix.line = sm.getPresumedLineNumber(begin);
    fix.column = sm.getPresumedColumnNumber(begin);
    fix.insert = hint.CodeToInsert;
    if (hint.RemoveRange.isCharRange() && hint.RemoveRange.getEnd().isValid()) {
      clang::SourceLocation end = sm.getExpansionLoc(hint.RemoveRange.getEnd());
      unsigned endCol = sm.getPresumedColumnNumber(end);
      if (sm.getPresumedLineNumber(end) == fix.line && endCol > fix.column)
        fix.removeLength = endCol - fix.column;
    }
    ctx_.attachFixIt(std::move(fix));
  }

  static std::string suggestionFor(const std::string &rule) {
    if (rule == "KML-R010")
      return "initialise the variable where it is declared";
    if (rule == "KML-R011")
      return "return by value or let the caller own the storage";
    return {};
  }

  RuleContext &ctx_;
  std::map<std::string, std::string> claimed_;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> options_;
  clang::TextDiagnosticPrinter printer_;
  bool lastPrinted_ = false;
  bool lastClaimed_ = false;
};

/// Macros that configure libstdc++ (its checks, its ABI, its asserts).
bool configuresLibrary(llvm::StringRef id) {
  return id.starts_with("_GLIBCXX") || id.starts_with("__glibcxx");
}

/// Watches the preprocessor: pragmas that would switch a rule off from
/// inside the program (turning off a claimed warning, declaring an
/// application header a system header), and the macros the reviewed
/// runtime defines.
class PragmaGuard : public clang::PPCallbacks {
public:
  PragmaGuard(RuleContext &ctx, const clang::SourceManager &sm,
              const std::map<std::string, std::string> &claimed)
      : ctx_(ctx), sm_(sm), claimed_(claimed) {}

  void PragmaDiagnostic(clang::SourceLocation loc,
                        llvm::StringRef /*Namespace*/,
                        clang::diag::Severity mapping,
                        llvm::StringRef option) override {
    if (mapping != clang::diag::Severity::Ignored &&
        mapping != clang::diag::Severity::Remark)
      return;
    if (!option.consume_front("-W"))
      return;
    auto it = claimed_.find(option.str());
    if (it != claimed_.end() && ctx_.isApplication(sm_, loc))
      ctx_.report(it->second, sm_, clang::SourceRange(loc),
                  "'#pragma ... diagnostic ignored \"-W" + option.str() +
                      "\"' would hide the findings of " + it->second,
                  "remove the pragma");
  }

  void MacroDefined(const clang::Token &name,
                    const clang::MacroDirective *md) override {
    if (md && ctx_.isRuntime(sm_, md->getLocation()))
      ctx_.addRuntimeMacro(name.getIdentifierInfo()->getName().str());
    const llvm::StringRef id = name.getIdentifierInfo()->getName();
    if (md && configuresLibrary(id) && id != "_GLIBCXX_ASSERTIONS" &&
        id != "_GLIBCXX_DEBUG" && ctx_.isApplication(sm_, md->getLocation()))
      ctx_.report("KML-R014", sm_, clang::SourceRange(md->getLocation()),
                  "defining '" + id.str() +
                      "' reconfigures the C++ standard library the rules "
                      "rely on",
                  "remove the definition");
  }

  void MacroUndefined(const clang::Token &name,
                      const clang::MacroDefinition & /*MD*/,
                      const clang::MacroDirective *undef) override {
    const llvm::StringRef id = name.getIdentifierInfo()->getName();
    if (undef && configuresLibrary(id) &&
        ctx_.isApplication(sm_, undef->getLocation()))
      ctx_.report("KML-R014", sm_, clang::SourceRange(undef->getLocation()),
                  "'#undef " + id.str() +
                      "' switches off the C++ standard library's own checks",
                  "remove the #undef");
  }

  void PragmaDirective(clang::SourceLocation loc,
                       clang::PragmaIntroducerKind /*Introducer*/) override {
    if (!ctx_.isApplication(sm_, loc))
      return;
    bool invalid = false;
    const char *text = sm_.getCharacterData(loc, &invalid);
    if (invalid)
      return;
    llvm::StringRef rest(text, std::strlen(text));
    rest = rest.take_until([](char c) { return c == '\n'; });
    if (rest.contains("system_header"))
      ctx_.report("KML-R002", sm_, clang::SourceRange(loc),
                  "'#pragma system_header' would exempt application code "
                  "from review",
                  "remove the pragma");
  }

private:
  RuleContext &ctx_;
  const clang::SourceManager &sm_;
  const std::map<std::string, std::string> &claimed_;
};

} // namespace

class Verifier::Engine {
public:
  explicit Engine(Options options) : ctx(std::move(options)) {
    rules = makeRules(ctx);
    for (auto &rule : rules) {
      rule->registerMatchers(finder);
      for (const std::string &w : rule->claimedWarnings())
        claimed[w] = std::string(rule->id());
    }
  }

  /// Runs the rules once Sema has built the TU; code generation follows in
  /// the next consumer of the multiplexer.
  class RulesConsumer : public clang::ASTConsumer {
  public:
    RulesConsumer(Engine &e, TuAttestation &att) : e_(e), att_(att) {}
    void HandleTranslationUnit(clang::ASTContext &ast) override {
      hashInputs(ast.getSourceManager());
      if (ast.getDiagnostics().hasErrorOccurred())
        return; // an invalid AST is not worth checking; the TU fails anyway
      e_.finder.matchAST(ast);
      for (auto &rule : e_.rules)
        rule->checkTranslationUnit(ast);
    }

  private:
    // Every file the preprocessor read, sorted by name so the digest is
    // stable: binds the headers, not just the main file.
    void hashInputs(const clang::SourceManager &sm) {
      std::vector<std::pair<std::string, llvm::StringRef>> files;
      for (auto it = sm.fileinfo_begin(); it != sm.fileinfo_end(); ++it) {
        auto buffer = it->second->getBufferIfLoaded();
        if (buffer)
          files.emplace_back(std::string(it->first.getName()),
                             buffer->getBuffer());
      }
      std::ranges::sort(files);
      Sha256 h;
      for (const auto &[name, bytes] : files) {
        h.update(name);
        h.update(std::string_view("\0", 1));
        h.update(std::string_view(bytes.data(), bytes.size()));
      }
      att_.inputsSha256 = h.finishHex();
      att_.inputFiles = files.size();
    }

    Engine &e_;
    TuAttestation &att_;
  };

  class Action : public clang::EmitObjAction {
  public:
    Action(Engine &e, TuAttestation &att, std::filesystem::path dir)
        : e_(e), att_(att), dir_(std::move(dir)) {}

    std::unique_ptr<clang::ASTConsumer>
    CreateASTConsumer(clang::CompilerInstance &ci,
                      llvm::StringRef inFile) override {
      // Code generation runs only to learn the frame sizes (KML-R008).
      ci.getCodeGenOpts().StackUsageOutput = (dir_ / "tu.su").string();
      ci.getFrontendOpts().OutputFile = (dir_ / "tu.o").string();
      ci.getPreprocessor().addPPCallbacks(std::make_unique<PragmaGuard>(
          e_.ctx, ci.getSourceManager(), e_.claimed));
      std::vector<std::unique_ptr<clang::ASTConsumer>> consumers;
      consumers.push_back(std::make_unique<RulesConsumer>(e_, att_));
      if (auto codegen = EmitObjAction::CreateASTConsumer(ci, inFile))
        consumers.push_back(std::move(codegen));
      return std::make_unique<clang::MultiplexConsumer>(std::move(consumers));
    }

  private:
    Engine &e_;
    TuAttestation &att_;
    std::filesystem::path dir_;
  };

  class Factory : public clang::tooling::FrontendActionFactory {
  public:
    Factory(Engine &e, TuAttestation &att, std::filesystem::path dir)
        : e_(e), att_(att), dir_(std::move(dir)) {}
    std::unique_ptr<clang::FrontendAction> create() override {
      return std::make_unique<Action>(e_, att_, dir_);
    }

  private:
    Engine &e_;
    TuAttestation &att_;
    std::filesystem::path dir_;
  };

  std::vector<std::string> extraArguments() const {
    std::vector<std::string> args;
    if (!ctx.options().resourceDir.empty())
      args.push_back("-resource-dir=" + ctx.options().resourceDir);
    for (const auto &dir : ctx.options().runtimeIncludeDirs)
      if (std::filesystem::is_directory(dir / "kml"))
        args.push_back("-I" + dir.string());
    for (const auto &[warning, rule] : claimed)
      args.push_back("-W" + warning);
    args.emplace_back("-Wno-error");
    args.emplace_back("-Wno-unknown-warning-option");
    args.emplace_back("-fno-color-diagnostics");
    return args;
  }

  RuleContext ctx;
  clang::ast_matchers::MatchFinder finder;
  std::vector<std::unique_ptr<Rule>> rules;
  std::map<std::string, std::string> claimed; // warning option -> rule ID
};

Verifier::Verifier(Options options)
    : engine_(std::make_unique<Engine>(std::move(options))) {
  llvm::CrashRecoveryContext::Enable();
  // Code generation for the frame sizes needs the host target.
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::InitializeNativeTargetAsmParser();
}

Verifier::~Verifier() = default;

const std::vector<Finding> &Verifier::findings() const {
  return engine_->ctx.findings();
}

bool Verifier::verifyFile(const clang::tooling::CompilationDatabase &db,
                          const std::string &file) {
  auto commands = db.getCompileCommands(file);
  if (commands.empty()) {
    llvm::errs() << "kml-verify: no compile command for " << file << "\n";
    return false;
  }
  std::size_t before = engine_->ctx.findingCount();
  TuAttestation att;
  std::filesystem::path path(commands.front().Filename);
  if (path.is_relative())
    path = std::filesystem::path(commands.front().Directory) / path;
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  att.file = (ec ? path : absolute).lexically_normal().string();
  att.sourceSha256 = Sha256::hexOfFile(path).value_or("");
  att.flags = commands.front().CommandLine;
  att.flagsSha256 = flagsSha256(att.flags);

  for (const auto &cmd : commands)
    for (auto &rule : engine_->rules)
      rule->beforeTranslationUnit({att.file, cmd.CommandLine});

  TempDir scratch;
  if (!scratch.ok()) {
    llvm::errs() << "kml-verify: cannot create a temporary directory\n";
    return false;
  }
  clang::tooling::ClangTool tool(db, {file});
  // -w would silence the Clang analyses some rules are built on.
  tool.appendArgumentsAdjuster(
      [](const clang::tooling::CommandLineArguments &args, llvm::StringRef) {
        clang::tooling::CommandLineArguments out;
        for (const auto &a : args)
          if (a != "-w")
            out.push_back(a);
        return out;
      });
  tool.appendArgumentsAdjuster(clang::tooling::getInsertArgumentAdjuster(
      engine_->extraArguments(), clang::tooling::ArgumentInsertPosition::END));
  RoutingDiagnostics diagnostics(engine_->ctx, engine_->claimed);
  tool.setDiagnosticConsumer(&diagnostics);
  Engine::Factory factory(*engine_, att, scratch.path());
  // A crash in a rule must not pass for a verdict: it becomes an internal
  // error (exit status 2) with the file named, and the run fails closed.
  int rc = 1;
  llvm::CrashRecoveryContext recovery;
  if (!recovery.RunSafely([&] { rc = tool.run(&factory); })) {
    llvm::errs() << "kml-verify: internal error while checking " << file
                 << "; the file is not verified\n";
    rc = 1;
  }
  att.parsed = rc == 0;
  if (att.parsed)
    for (auto &rule : engine_->rules)
      rule->afterCodeGen(scratch.path() / "tu.su");
  att.findings = engine_->ctx.findingCount() - before;
  tus_.push_back(std::move(att));
  return rc == 0;
}

void Verifier::finish() {
  for (auto &rule : engine_->rules)
    rule->finishProgram();
  // Cross-TU findings belong to no single TU's count in the attestation.
  engine_->ctx.sortFindings();
}

} // namespace kml::verify
