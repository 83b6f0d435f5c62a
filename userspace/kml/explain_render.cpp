#include "explain_render.hpp"

#include "json_text.hpp"

#include "kml/gate/manifest.hpp"
#include "kml/text.hpp"

#include <linux/kml_manifest.h>
#include <linux/kml_note.h>

#include <algorithm>
#include <sstream>

namespace kml {
namespace {

// Enough for `ADDRESS  BYTES  TEXT` of most instructions; a longer left
// column widens the whole site.
constexpr std::size_t kBytesWidth = 23; // 8 bytes

std::string instructionLine(const ShownInstruction &insn) {
  std::string bytes = insn.bytes;
  bytes.resize(std::max(bytes.size(), kBytesWidth), ' ');
  return cat(Hex{insn.address}, "  ", bytes, "  ", insn.text);
}

void sideBySide(std::ostream &out, const std::vector<ShownInstruction> &left,
                const std::vector<ShownInstruction> &right) {
  std::vector<std::string> lefts;
  std::size_t width = std::string_view("original").size();
  for (const ShownInstruction &insn : left) {
    lefts.push_back(instructionLine(insn));
    width = std::max(width, lefts.back().size());
  }
  out << "    " << std::string("original").append(width - 8, ' ')
      << " | rewritten\n";
  const std::size_t rows = std::max(left.size(), right.size());
  for (std::size_t i = 0; i < rows; ++i) {
    std::string line = i < lefts.size() ? lefts[i] : "";
    line.resize(width, ' ');
    out << "    " << line << " | "
        << (i < right.size() ? instructionLine(right[i]) : "") << "\n";
  }
}

std::string siteTitle(const SiteExplanation &site) {
  std::string title =
      cat(Hex{site.address}, "  ",
          site.symbol.empty() ? "(no symbol)" : site.symbol, "  ", site.name);
  if (site.number) {
    title += cat(" (", *site.number, ")");
  }
  return title;
}

void printSite(std::ostream &out, const SiteExplanation &site) {
  out << siteTitle(site) << "\n";
  out << "  path:  " << callPathName(site.now.path) << ": " << site.now.why
      << "\n";
  if (site.afterRewrite) {
    out << "  after kml rewrite: " << callPathName(site.afterRewrite->path)
        << ": " << site.afterRewrite->why << "\n";
  }
  if (!site.rewritten) {
    out << "  the rewrite leaves it: " << site.reasonText << "\n";
  }
  sideBySide(out, site.original, site.replaced);
  if (site.rewritten && !site.stubCode.empty()) {
    out << "    stub at " << Hex{site.stub}
        << " (moved instructions, the jump to the kernel, the fallback "
           "`syscall`):\n";
    for (const ShownInstruction &insn : site.stubCode) {
      out << "      " << instructionLine(insn) << "\n";
    }
  }
}

std::string markerText(const std::optional<MarkerInfo> &marker) {
  if (!marker) {
    return "none (kml mark or kml rewrite adds one)";
  }
  const bool bypass = (marker->desc.flags & KML_NOTE_F_BYPASS) != 0;
  return cat("present, version ", marker->desc.version, ", ",
             marker->enabled() ? "enabled" : "disabled", ", bypass ",
             bypass ? "on" : "off", " (flags ", Hex{marker->desc.flags}, ")");
}

std::string signatureText(const SignatureFacts &facts) {
  switch (facts.state) {
  case SignatureFacts::State::None:
    return "none (no signed manifest appended: kml sign)";
  case SignatureFacts::State::Malformed:
    return "malformed: " + facts.problem;
  case SignatureFacts::State::Present:
    break;
  }
  if (!facts.manifest || facts.manifest->entries.empty()) {
    return "a signed manifest without entries";
  }
  const gate::ManifestEntry &entry = facts.manifest->entries.front();
  return cat("signed manifest by ", facts.signer, ", assurance ",
             gate::assuranceName(entry.assurance), ", generation ",
             facts.manifest->generation, ", bypass ",
             (entry.flags & KML_MANIFEST_F_BYPASS) != 0 ? "approved"
                                                        : "not approved",
             facts.digestMatches ? "" : ", digest does NOT match the file");
}

std::string policyValues(const KernelPolicy &policy) {
  return cat("min_assurance ", gate::assuranceName(policy.gate.minAssurance),
             ", min_generation ", policy.gate.minGeneration,
             ", allow_unsigned ", policy.allowUnsigned ? 1 : 0,
             ", allow_bypass ", policy.allowBypass ? 1 : 0);
}

std::string policyText(const KernelPolicy &policy) {
  if (!policy.fromKernel) {
    return cat("the default (no kml kernel is running here: ", policy.directory,
               " does not exist): ", policyValues(policy));
  }
  return cat("read from ", policy.directory, ": ", policyValues(policy));
}

void printSummaryLine(std::ostream &out, const ExplainSummary &summary) {
  out << summary.sites << " sites: " << summary.direct << " direct, "
      << summary.bypass << " bypass, " << summary.slow << " slow";
  if (summary.ring3 != 0) {
    out << ", " << summary.ring3 << " ring 3";
  }
  out << "\n";
  for (const auto &[reason, count] : summary.slowByReason) {
    out << "  slow: " << count << " x " << rewrite::leaveReasonText(reason)
        << "\n";
  }
}

std::string jsonInstructions(const std::vector<ShownInstruction> &insns) {
  std::string out = "[";
  for (std::size_t i = 0; i < insns.size(); ++i) {
    out += cat(i == 0 ? "" : ", ", "{\"address\": ", insns[i].address,
               ", \"bytes\": ", jsonString(insns[i].bytes),
               ", \"text\": ", jsonString(insns[i].text), "}");
  }
  return out + "]";
}

std::string jsonPath(const PathVerdict &path) {
  return cat("{\"path\": ", jsonString(callPathName(path.path)),
             ", \"why\": ", jsonString(path.why), "}");
}

std::string jsonBool(bool value) { return value ? "true" : "false"; }

std::string jsonSite(const SiteExplanation &site) {
  std::ostringstream out;
  out << "{\"address\": " << site.address
      << ", \"symbol\": " << jsonString(site.symbol) << ", \"number\": "
      << (site.number ? std::to_string(*site.number) : "null")
      << ", \"name\": " << jsonString(site.name)
      << ", \"rewritten\": " << jsonBool(site.rewritten) << ", \"reason\": "
      << (site.rewritten ? "null"
                         : jsonString(rewrite::leaveReasonName(site.reason)))
      << ", \"reason_text\": "
      << (site.rewritten ? "null" : jsonString(site.reasonText))
      << ", \"range\": [" << site.rangeStart << ", " << site.rangeEnd << "]"
      << ", \"stub\": " << (site.rewritten ? std::to_string(site.stub) : "null")
      << ", \"original\": " << jsonInstructions(site.original)
      << ", \"replaced\": " << jsonInstructions(site.replaced)
      << ", \"stub_code\": " << jsonInstructions(site.stubCode)
      << ", \"path\": " << jsonString(callPathName(site.now.path))
      << ", \"why\": " << jsonString(site.now.why) << ", \"after_rewrite\": "
      << (site.afterRewrite ? jsonPath(*site.afterRewrite) : "null") << "}";
  return out.str();
}

std::string jsonMarker(const std::optional<MarkerInfo> &marker) {
  if (!marker) {
    return R"({"present": false})";
  }
  return cat(R"({"present": true, "version": )", marker->desc.version,
             ", \"flags\": ", marker->desc.flags,
             ", \"enabled\": ", jsonBool(marker->enabled()), ", \"bypass\": ",
             jsonBool((marker->desc.flags & KML_NOTE_F_BYPASS) != 0), "}");
}

std::string jsonSignature(const SignatureFacts &facts) {
  switch (facts.state) {
  case SignatureFacts::State::None:
    return R"({"state": "none"})";
  case SignatureFacts::State::Malformed:
    return cat(R"({"state": "malformed", "problem": )",
               jsonString(facts.problem), "}");
  case SignatureFacts::State::Present:
    break;
  }
  if (!facts.manifest || facts.manifest->entries.empty()) {
    return R"({"state": "malformed", "problem": "no entries"})";
  }
  const gate::ManifestEntry &entry = facts.manifest->entries.front();
  return cat(
      R"({"state": "present", "signer": )", jsonString(facts.signer),
      ", \"assurance\": ", jsonString(gate::assuranceName(entry.assurance)),
      ", \"generation\": ", facts.manifest->generation,
      ", \"approves_bypass\": ",
      jsonBool((entry.flags & KML_MANIFEST_F_BYPASS) != 0),
      ", \"digest_matches\": ", jsonBool(facts.digestMatches), "}");
}

std::string jsonPolicy(const KernelPolicy &policy) {
  return cat("{\"from_kernel\": ", jsonBool(policy.fromKernel),
             ", \"directory\": ", jsonString(policy.directory),
             ", \"min_assurance\": ",
             jsonString(gate::assuranceName(policy.gate.minAssurance)),
             ", \"min_generation\": ", policy.gate.minGeneration,
             ", \"allow_unsigned\": ", jsonBool(policy.allowUnsigned),
             ", \"allow_bypass\": ", jsonBool(policy.allowBypass), "}");
}

std::string jsonDecision(const ProgramVerdict &verdict) {
  return cat("{\"result\": ", jsonString(decisionName(verdict.decision)),
             ", \"reason\": ",
             verdict.refusal
                 ? jsonString(gate::reasonInfo(*verdict.refusal).name)
                 : std::string("null"),
             ", \"why\": ", jsonString(verdict.why),
             ", \"trusted_from\": ", jsonString(verdict.trustedFrom), "}");
}

std::string jsonSummary(const ExplainSummary &summary) {
  std::string byReason = "{";
  bool first = true;
  for (const auto &[reason, count] : summary.slowByReason) {
    byReason += cat(first ? "" : ", ",
                    jsonString(rewrite::leaveReasonName(reason)), ": ", count);
    first = false;
  }
  byReason += "}";
  return cat("{\"sites\": ", summary.sites, ", \"direct\": ", summary.direct,
             ", \"bypass\": ", summary.bypass, ", \"slow\": ", summary.slow,
             ", \"ring3\": ", summary.ring3, ", \"slow_by_reason\": ", byReason,
             "}");
}

std::string_view kindName(ImageKind kind) {
  switch (kind) {
  case ImageKind::StaticProgram:
    return "static program";
  case ImageKind::Loader:
    return "loader";
  case ImageKind::Library:
    return "library";
  }
  return "library";
}

std::string fileTitle(const ProgramExplanation &explanation) {
  switch (explanation.kind) {
  case ImageKind::StaticProgram:
    return "static x86-64 program";
  case ImageKind::Loader:
    return "dynamic loader (kml runs dynamic programs through its rewritten "
           "one: kml run --ring0); the paths are those in a ring-0 process";
  case ImageKind::Library:
    return "shared library (kml runs dynamic programs with its rewritten "
           "libc: kml run --ring0); the paths are those in a ring-0 process";
  }
  return "";
}

std::string basename(const std::string &path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

std::string renderSiteText(const SiteExplanation &site) {
  std::ostringstream out;
  printSite(out, site);
  return out.str();
}

std::string renderText(const ProgramExplanation &explanation) {
  std::ostringstream out;
  out << explanation.file << ": " << fileTitle(explanation) << ", "
      << (explanation.fileRewritten
              ? "rewritten by kml rewrite"
              : "not rewritten (the rewrite shown is made in memory; "
                "nothing is written)")
      << "\n";
  if (!explanation.originalRecovered) {
    out << "  the original instructions cannot be recovered: "
        << explanation.recoveryProblem << "\n";
  }
  if (explanation.kind != ImageKind::StaticProgram) {
    out << "  entry source: "
        << rewrite::entrySourceName(explanation.entrySource) << "\n";
  }
  out << "\n";
  for (const SiteExplanation &site : explanation.sites) {
    printSite(out, site);
    out << "\n";
  }
  const ProgramVerdict &verdict = explanation.verdict;
  out << "verdict:\n"
      << "  marker:    " << markerText(verdict.marker) << "\n"
      << "  signature: " << signatureText(verdict.signature) << "\n"
      << "  policy:    " << policyText(verdict.policy) << "\n"
      << "  kernel:    " << decisionName(verdict.decision) << ": "
      << verdict.why << "\n";
  if (verdict.decision != Decision::NormalProgram &&
      verdict.decision != Decision::Library) {
    out << "             (signatures checked against the certificates in "
        << verdict.trustedFrom
        << ", as kml verify does; kml.ko trusts its .kml keyring)\n";
  }
  out << "summary: ";
  printSummaryLine(out, explanation.summary());
  if (verdict.decision == Decision::Refused) {
    out << "  (the paths a ring-0 run would take: under this policy the "
           "kernel refuses the program, so nothing runs)\n";
  }
  if (!explanation.fileRewritten) {
    out << "after kml rewrite: ";
    printSummaryLine(out, explanation.summary(true));
  }
  return out.str();
}

std::string renderJson(const ProgramExplanation &explanation) {
  std::ostringstream out;
  out << R"({"schema": 1, "file": )" << jsonString(explanation.file)
      << ", \"kind\": " << jsonString(kindName(explanation.kind))
      << ", \"entry_source\": "
      << jsonString(rewrite::entrySourceName(explanation.entrySource))
      << ", \"rewritten\": " << jsonBool(explanation.fileRewritten)
      << ", \"original_recovered\": " << jsonBool(explanation.originalRecovered)
      << ", \"recovery_problem\": "
      << (explanation.originalRecovered
              ? "null"
              : jsonString(explanation.recoveryProblem))
      << ", \"sites\": [";
  for (std::size_t i = 0; i < explanation.sites.size(); ++i) {
    out << (i == 0 ? "" : ", ") << jsonSite(explanation.sites[i]);
  }
  const ProgramVerdict &verdict = explanation.verdict;
  out << "], \"marker\": " << jsonMarker(verdict.marker)
      << ", \"signature\": " << jsonSignature(verdict.signature)
      << ", \"policy\": " << jsonPolicy(verdict.policy)
      << ", \"decision\": " << jsonDecision(verdict)
      << ", \"summary\": " << jsonSummary(explanation.summary())
      << ", \"summary_after_rewrite\": "
      << (explanation.fileRewritten ? "null"
                                    : jsonSummary(explanation.summary(true)))
      << "}\n";
  return out.str();
}

std::string renderText(const DynamicProgramExplanation &explanation) {
  const std::string loader = basename(explanation.interpreter);
  std::ostringstream out;
  out << explanation.file << ": dynamically linked program (interpreter "
      << explanation.interpreter << ")\n"
      << "  Its system calls are made by its libraries: kml leaves the "
         "program as it is and\n"
      << "  runs it with kml's rewritten loader and libc, "
         "/usr/lib/kml/libc.so.6\n"
      << "  and /usr/lib/kml/" << loader
      << " in the VM. Explain those on the host\n"
      << "  (kml explain FILE needs the rewriter), where they are in\n"
      << "  build/dynroot/usr/lib/kml/:\n"
      << "    kml explain build/dynroot/usr/lib/kml/libc.so.6\n"
      << "    kml explain build/dynroot/usr/lib/kml/" << loader << "\n"
      << "  Run it at ring 0 (in the VM): kml run --ring0 " << explanation.file
      << "\n"
      << "  and watch its calls: kml explain --trace -- kml run --ring0 "
      << explanation.file << "\n";
  if (explanation.ownSites.empty()) {
    out << "its own `syscall` instructions: none\n";
    return out.str();
  }
  out << "its own `syscall` instructions: " << explanation.ownSites.size()
      << " (not rewritten: at ring 0 each traps into the kernel's slow "
         "path)\n";
  for (const std::uint64_t address : explanation.ownSites) {
    out << "  " << Hex{address} << "\n";
  }
  return out.str();
}

std::string renderJson(const DynamicProgramExplanation &explanation) {
  std::string sites = "[";
  for (std::size_t i = 0; i < explanation.ownSites.size(); ++i) {
    sites += cat(i == 0 ? "" : ", ", explanation.ownSites[i]);
  }
  sites += "]";
  return cat(R"({"schema": 1, "file": )", jsonString(explanation.file),
             R"(, "kind": "dynamic program", "interpreter": )",
             jsonString(explanation.interpreter), R"(, "own_sites": )", sites,
             "}\n");
}

} // namespace kml
