// The rule interface and the context rules report through. A rule is a
// clang-tidy-like check: it registers AST matchers and/or analyses a whole
// TU, and may claim Clang warnings (Sema's own analyses) as its findings.
#pragma once

#include "core/Finding.hpp"

#include <clang/AST/ASTContext.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Basic/SourceManager.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kml::verify {

struct Options {
  std::uint64_t stackLimit = 8192;
  /// Stack charged for each call into code outside the program (libc).
  std::uint64_t externalCallBudget = 1024;
  /// Directories holding the reviewed runtime headers (their `kml/`
  /// subfolder is exempt from every rule).
  std::vector<std::filesystem::path> runtimeIncludeDirs;
  std::string resourceDir;
};

/// What a rule knows about the TU being checked before parsing starts.
struct TuCommand {
  std::string file;
  std::vector<std::string> commandLine;
};

/// Shared by all rules: classifies locations (application code or exempt)
/// and turns Clang locations into Findings.
class RuleContext {
public:
  explicit RuleContext(Options options);

  const Options &options() const { return options_; }

  /// True for code the rules apply to: not a system header, not the
  /// reviewed runtime headers, not a macro defined in those.
  bool isApplication(const clang::SourceManager &sm,
                     clang::SourceLocation loc) const;
  /// Remembers a macro defined in the runtime headers: its expansions in
  /// application code are reviewed code too.
  void addRuntimeMacro(std::string name) {
    runtimeMacros_.insert(std::move(name));
  }
  /// True when \p loc lies in the reviewed runtime headers, or was produced
  /// by expanding a runtime macro.
  bool isRuntime(const clang::SourceManager &sm,
                 clang::SourceLocation loc) const;

  void report(std::string_view rule, const clang::SourceManager &sm,
              clang::SourceRange range, std::string message,
              std::string suggestion = {}, std::optional<FixIt> fix = {});
  /// A finding about a whole file (compile flags, stack of an entry point
  /// whose location is already resolved).
  void reportAt(std::string_view rule, std::string file, unsigned line,
                unsigned column, std::string message,
                std::string suggestion = {});

  /// Builds a finding without recording it (for cross-TU rules that decide
  /// later).
  static Finding makeFinding(std::string_view rule,
                             const clang::SourceManager &sm,
                             clang::SourceRange range, std::string message,
                             std::string suggestion = {});
  /// Records \p f unless the same finding is already recorded; returns
  /// whether it was new.
  bool add(Finding f);
  /// Attaches a fix-it to the most recent finding (Clang's notes carry
  /// them after the warning they belong to).
  void attachFixIt(FixIt fix) {
    if (!findings_.empty() && !findings_.back().fixIt)
      findings_.back().fixIt = std::move(fix);
  }

  const std::vector<Finding> &findings() const { return findings_; }
  /// Orders findings by file, line and column for stable output.
  void sortFindings();
  std::size_t findingCount() const { return findings_.size(); }

private:
  bool inRuntimeDir(const clang::SourceManager &sm, clang::FileID fid) const;

  Options options_;
  std::vector<std::string> runtimeRoots_; // real paths ending in "/kml/"
  mutable std::map<std::string, bool> runtimeCache_;
  std::vector<Finding> findings_;
  std::set<std::string> seen_; // a header included twice reports once
  std::set<std::string, std::less<>> runtimeMacros_;
};

class Rule : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  explicit Rule(RuleContext &ctx) : ctx_(ctx) {}

  virtual std::string_view id() const = 0;

  virtual void registerMatchers(clang::ast_matchers::MatchFinder & /*finder*/) {
  }
  void run(const clang::ast_matchers::MatchFinder::MatchResult & /*result*/)
      override {}
  /// Clang warning options (without -W) whose diagnostics are this rule's
  /// findings; the verifier enables them for every TU.
  virtual std::vector<std::string> claimedWarnings() const { return {}; }
  virtual void beforeTranslationUnit(const TuCommand & /*command*/) {}
  virtual void checkTranslationUnit(clang::ASTContext & /*context*/) {}
  /// Called after code generation with the TU's -fstack-usage output.
  virtual void afterCodeGen(const std::filesystem::path & /*stackUsage*/) {}
  /// Cross-TU conclusions, once every TU has been seen.
  virtual void finishProgram() {}

protected:
  /// Reports at \p range if it lies in application code.
  void report(const clang::SourceManager &sm, clang::SourceRange range,
              std::string message, std::string suggestion = {},
              std::optional<FixIt> fix = {}) {
    if (ctx_.isApplication(sm, range.getBegin()))
      ctx_.report(id(), sm, range, std::move(message), std::move(suggestion),
                  std::move(fix));
  }
  bool isApplication(const clang::SourceManager &sm,
                     clang::SourceLocation loc) const {
    return ctx_.isApplication(sm, loc);
  }

  RuleContext &ctx_;
};

} // namespace kml::verify
