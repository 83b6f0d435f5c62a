// The modes that print what kml-verify knows: the flags KML-R014 wants,
// the runtime header roots, the rules and the allowlist.
#include "cli/Modes.hpp"
#include "core/FlagChecker.hpp"
#include "core/RuleTable.hpp"
#include "rules/Rules.hpp"

#include <iostream>

namespace kml::verify::cli {

namespace {

/// \p text with every line indented by four spaces.
std::string indent(std::string_view text) {
  std::string out = "    ";
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') {
      out += "    ";
    }
  }
  return out;
}

} // namespace

int printRequiredFlags() {
  std::string line;
  for (const std::string &f : requiredFlags()) {
    line += (line.empty() ? "" : " ") + f;
  }
  for (const std::string &f : requiredLibraryFlags()) {
    line += " " + f;
  }
  std::cout << line << "\n";
  return kExitPass;
}

// `kml build` compiles with the same -I the rules parse with, so only the
// roots that hold the headers are printed.
int printRuntimeIncludeDirs(const std::vector<std::filesystem::path> &dirs) {
  for (const auto &dir : dirs) {
    if (std::filesystem::is_directory(dir / "kml")) {
      std::cout << dir.string() << "\n";
    }
  }
  return kExitPass;
}

int explainRule(const std::string &id) {
  const RuleInfo *r = findRule(id);
  if (r == nullptr) {
    std::cerr << "kml-verify: unknown rule '" << id << "' (try --list-rules)\n";
    return kExitError;
  }
  std::cout << r->id << " (" << r->name << "), rule set " << kRuleSetVersion
            << "\n"
            << r->summary << "\n\nWhy:\n"
            << indent(r->rationale) << "\n\nRejected:\n"
            << indent(r->bad) << "\n\nAccepted:\n"
            << indent(r->good) << "\n\nFix:\n"
            << indent(r->fix) << "\n";
  if (!r->limits.empty()) {
    std::cout << "\nWhat it does not see:\n" << indent(r->limits) << "\n";
  }
  return kExitPass;
}

int listRules() {
  for (const RuleInfo &r : ruleTable()) {
    std::cout << r.id << "  " << r.name << ": " << r.summary << "\n";
  }
  return kExitPass;
}

int listAllowlist() {
  for (std::string_view n : externalAllowlist()) {
    std::cout << n << "\n";
  }
  for (std::string_view n : targetBuiltinAllowlist()) {
    std::cout << n << " (KML-R001)\n";
  }
  for (const LibraryEntry &e : libraryAllowlist()) {
    std::cout << e.name
              << (e.kind == LibraryEntry::Class ? "::* (C++ library class)"
                                                : " (C++ library)")
              << "\n";
  }
  return kExitPass;
}

} // namespace kml::verify::cli
