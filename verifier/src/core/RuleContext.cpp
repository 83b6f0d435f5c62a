#include "core/Rule.hpp"

#include <clang/Lex/Lexer.h>
#include <llvm/Support/FileSystem.h>

#include <algorithm>
#include <fstream>
#include <tuple>

namespace kml::verify {

RuleContext::RuleContext(Options options) : options_(std::move(options)) {
  for (const auto &dir : options_.runtimeIncludeDirs) {
    llvm::SmallString<256> real;
    if (llvm::sys::fs::real_path(dir.string(), real))
      continue; // missing directory: nothing to exempt
    runtimeRoots_.push_back(std::string(real.str()) + "/kml/");
  }
}

bool RuleContext::inRuntimeDir(const clang::SourceManager &sm,
                               clang::FileID fid) const {
  auto entry = sm.getFileEntryRefForID(fid);
  if (!entry)
    return false;
  std::string name(entry->getName());
  auto [it, inserted] = runtimeCache_.try_emplace(name, false);
  if (!inserted)
    return it->second;
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(name, real))
    return false;
  std::string path(real.str());
  for (const std::string &root : runtimeRoots_)
    if (path.starts_with(root))
      it->second = true;
  return it->second;
}

bool RuleContext::isRuntime(const clang::SourceManager &sm,
                            clang::SourceLocation loc) const {
  if (loc.isInvalid())
    return false;
  if (inRuntimeDir(sm, sm.getFileID(sm.getExpansionLoc(loc))) ||
      inRuntimeDir(sm, sm.getFileID(sm.getSpellingLoc(loc))))
    return true;
  // Tokens pasted inside a runtime macro (name##_make) are spelled in
  // scratch space, so walk the expansion chain by macro name instead.
  clang::LangOptions lang;
  for (int depth = 0; loc.isMacroID() && depth < 64; ++depth) {
    // A macro's argument is the caller's code, not the macro's: follow it
    // to where it was written (kml_check(*(int *)0x1000 = 1) is the
    // application's cast, whatever kml_check is).
    if (sm.isMacroArgExpansion(loc)) {
      loc = sm.getImmediateSpellingLoc(loc);
      if (!loc.isMacroID())
        return inRuntimeDir(sm, sm.getFileID(loc));
      continue;
    }
    llvm::StringRef name = clang::Lexer::getImmediateMacroName(loc, sm, lang);
    if (runtimeMacros_.contains(name))
      return true;
    loc = sm.getImmediateMacroCallerLoc(loc);
  }
  return false;
}

bool RuleContext::isApplication(const clang::SourceManager &sm,
                                clang::SourceLocation loc) const {
  if (loc.isInvalid())
    return false;
  clang::SourceLocation exp = sm.getExpansionLoc(loc);
  if (sm.isInSystemHeader(exp) || !sm.getFileEntryRefForID(sm.getFileID(exp)))
    return false; // system headers, <built-in>, <command line>
  // A macro from a runtime header expands to reviewed code; a macro from a
  // system header (setjmp, assert) expanded here is the application's choice.
  return !isRuntime(sm, loc);
}

void RuleContext::report(std::string_view rule, const clang::SourceManager &sm,
                         clang::SourceRange range, std::string message,
                         std::string suggestion, std::optional<FixIt> fix) {
  Finding f =
      makeFinding(rule, sm, range, std::move(message), std::move(suggestion));
  f.fixIt = std::move(fix);
  add(std::move(f));
}

Finding RuleContext::makeFinding(std::string_view rule,
                                 const clang::SourceManager &sm,
                                 clang::SourceRange range, std::string message,
                                 std::string suggestion) {
  Finding f;
  f.ruleId = std::string(rule);
  f.message = std::move(message);
  f.suggestion = std::move(suggestion);
  clang::SourceLocation begin = sm.getExpansionLoc(range.getBegin());
  clang::PresumedLoc p = sm.getPresumedLoc(begin);
  if (p.isInvalid()) {
    f.file = "<unknown>";
    return f;
  }
  f.file = p.getFilename();
  f.line = p.getLine();
  f.column = p.getColumn();
  // The text of the line, for the caret display.
  bool invalid = false;
  llvm::StringRef buffer = sm.getBufferData(sm.getFileID(begin), &invalid);
  if (!invalid) {
    unsigned offset = sm.getFileOffset(begin);
    std::size_t start = buffer.rfind('\n', offset);
    start = start == llvm::StringRef::npos ? 0 : start + 1;
    std::size_t end = buffer.find('\n', offset);
    f.sourceLine = buffer.slice(start, end).rtrim('\r').str();
  }
  clang::SourceLocation endLoc =
      range.getEnd().isValid() ? sm.getExpansionLoc(range.getEnd()) : begin;
  if (sm.getFileID(endLoc) == sm.getFileID(begin) &&
      sm.getSpellingLineNumber(endLoc) == sm.getSpellingLineNumber(begin)) {
    unsigned tokenLen =
        clang::Lexer::MeasureTokenLength(endLoc, sm, clang::LangOptions());
    unsigned endCol = sm.getSpellingColumnNumber(endLoc) + tokenLen;
    unsigned beginCol = sm.getSpellingColumnNumber(begin);
    if (endCol > beginCol)
      f.length = endCol - beginCol;
  }
  return f;
}

void RuleContext::reportAt(std::string_view rule, std::string file,
                           unsigned line, unsigned column, std::string message,
                           std::string suggestion) {
  Finding f;
  f.ruleId = std::string(rule);
  f.file = std::move(file);
  f.line = line;
  f.column = column;
  f.message = std::move(message);
  f.suggestion = std::move(suggestion);
  // Findings made after parsing (stack bound) still show their line.
  if (line > 0) {
    std::ifstream in(f.file);
    std::string text;
    for (unsigned i = 0; i < line && std::getline(in, text); ++i)
      if (i + 1 == line)
        f.sourceLine = text;
  }
  add(std::move(f));
}

void RuleContext::sortFindings() {
  std::ranges::stable_sort(findings_, [](const Finding &a, const Finding &b) {
    return std::tie(a.file, a.line, a.column) <
           std::tie(b.file, b.line, b.column);
  });
}

bool RuleContext::add(Finding f) {
  std::string key = f.ruleId + '\0' + f.file + '\0' + std::to_string(f.line) +
                    ':' + std::to_string(f.column) + '\0' + f.message;
  if (!seen_.insert(key).second)
    return false;
  findings_.push_back(std::move(f));
  return true;
}

} // namespace kml::verify
