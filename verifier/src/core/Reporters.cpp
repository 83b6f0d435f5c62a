#include "core/Reporters.hpp"

#include "core/RuleTable.hpp"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

#include <cstdio>
#include <map>

namespace kml::verify {
namespace {

std::string hexAddress(std::uint64_t a) {
  char buf[32];
  // 0x and at most 16 digits: it always fits.
  (void)std::snprintf(buf, sizeof buf, "0x%llx",
                      static_cast<unsigned long long>(a));
  return buf;
}

// Tabs keep their width so the caret lines up with the source text.
std::string caretLine(const std::string &src, unsigned column,
                      unsigned length) {
  std::string out;
  for (unsigned i = 1; i < column && i - 1 < src.size(); ++i)
    out.push_back(src[i - 1] == '\t' ? '\t' : ' ');
  out.push_back('^');
  for (unsigned i = 1; i < length; ++i)
    out.push_back('~');
  return out;
}

} // namespace

void writeText(std::ostream &os, const std::vector<Finding> &findings) {
  for (const Finding &f : findings) {
    if (f.address)
      os << f.file << ":" << hexAddress(*f.address) << " <" << f.symbol
         << ">: ";
    else if (f.line == 0)
      os << f.file << ": ";
    else
      os << f.file << ":" << f.line << ":" << f.column << ": ";
    os << "error: " << f.message << " [" << f.ruleId << "]\n";
    if (f.line != 0 && !f.sourceLine.empty()) {
      os << f.sourceLine << "\n"
         << caretLine(f.sourceLine, f.column, f.length) << "\n";
    }
    if (f.fixIt) {
      const FixIt &fix = *f.fixIt;
      os << f.file << ":" << fix.line << ":" << fix.column
         << ": note: fix-it: ";
      if (fix.removeLength == 0)
        os << "insert '" << fix.insert << "'";
      else
        os << "replace " << fix.removeLength << " character"
           << (fix.removeLength == 1 ? "" : "s") << " with '" << fix.insert
           << "'";
      os << "\n";
    }
    if (!f.suggestion.empty())
      os << "note: " << f.suggestion << "\n";
  }
}

std::string sarifLog(const std::vector<Finding> &findings, bool completed) {
  using llvm::json::Array;
  using llvm::json::Object;
  using llvm::json::Value;

  Array rules;
  std::map<std::string, int> extraRuleIndex; // binary-validator rule IDs
  for (const RuleInfo &r : ruleTable()) {
    rules.push_back(Object{
        {"id", std::string(r.id)},
        {"name", std::string(r.name)},
        {"shortDescription", Object{{"text", std::string(r.summary)}}},
        {"fullDescription", Object{{"text", std::string(r.rationale)}}},
        {"help", Object{{"text", std::string(r.fix)},
                        {"markdown", "Rejected:\n```\n" + std::string(r.bad) +
                                         "\n```\nAccepted:\n```\n" +
                                         std::string(r.good) + "\n```"}}},
        {"helpUri", "docs/rules/" + std::string(r.id) + ".md"},
        {"defaultConfiguration", Object{{"level", "error"}}}});
  }
  for (const Finding &f : findings) {
    if (ruleIndex(f.ruleId) < 0 && !extraRuleIndex.contains(f.ruleId)) {
      extraRuleIndex[f.ruleId] = static_cast<int>(rules.size());
      rules.push_back(
          Object{{"id", f.ruleId},
                 {"shortDescription",
                  Object{{"text", "binary validator rule " + f.ruleId}}},
                 {"defaultConfiguration", Object{{"level", "error"}}}});
    }
  }

  Array results;
  for (const Finding &f : findings) {
    int index = ruleIndex(f.ruleId);
    if (index < 0)
      index = extraRuleIndex[f.ruleId];
    Object physical{{"artifactLocation", Object{{"uri", f.file}}}};
    if (f.address) {
      physical["address"] =
          Object{{"absoluteAddress", static_cast<int64_t>(*f.address)},
                 {"name", f.symbol}};
    } else if (f.line != 0) {
      Object region{{"startLine", static_cast<int64_t>(f.line)},
                    {"startColumn", static_cast<int64_t>(f.column)},
                    {"endColumn", static_cast<int64_t>(f.column + f.length)}};
      if (!f.sourceLine.empty())
        region["snippet"] = Object{{"text", f.sourceLine}};
      physical["region"] = std::move(region);
    }
    Object result{{"ruleId", f.ruleId},
                  {"ruleIndex", index},
                  {"level", "error"},
                  {"message", Object{{"text", f.suggestion.empty()
                                                  ? f.message
                                                  : f.message + " (" +
                                                        f.suggestion + ")"}}},
                  {"locations",
                   Array{Object{{"physicalLocation", std::move(physical)}}}}};
    if (f.fixIt) {
      Object deleted{
          {"startLine", static_cast<int64_t>(f.fixIt->line)},
          {"startColumn", static_cast<int64_t>(f.fixIt->column)},
          {"endColumn",
           static_cast<int64_t>(f.fixIt->column + f.fixIt->removeLength)}};
      Object replacement{
          {"deletedRegion", std::move(deleted)},
          {"insertedContent", Object{{"text", f.fixIt->insert}}}};
      Object change{{"artifactLocation", Object{{"uri", f.file}}},
                    {"replacements", Array{std::move(replacement)}}};
      std::string description =
          f.suggestion.empty() ? std::string("apply fix-it") : f.suggestion;
      result["fixes"] =
          Array{Object{{"description", Object{{"text", description}}},
                       {"artifactChanges", Array{std::move(change)}}}};
    }
    results.push_back(std::move(result));
  }

  Object log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       Array{Object{
           {"tool",
            Object{{"driver", Object{{"name", "kml-verify"},
                                     {"version", KML_VERIFY_VERSION},
                                     {"semanticVersion", KML_VERIFY_VERSION},
                                     {"properties",
                                      Object{{"ruleSetVersion",
                                              std::string(kRuleSetVersion)}}},
                                     {"rules", std::move(rules)}}}}},
           {"invocations", Array{Object{{"executionSuccessful", completed}}}},
           {"results", std::move(results)}}}}};
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:2}", Value(std::move(log)));
  os.flush();
  out.push_back('\n');
  return out;
}

} // namespace kml::verify
