#include "core/Attestation.hpp"

#include "core/RuleTable.hpp"
#include "core/Sha256.hpp"

#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace kml::verify {

std::string flagsSha256(const std::vector<std::string> &flags) {
  Sha256 h;
  for (const std::string &f : flags) {
    h.update(f);
    h.update(std::string_view("\0", 1));
  }
  return h.finishHex();
}

std::string attestationJson(const AttestationData &data) {
  using llvm::json::Array;
  using llvm::json::Object;
  Array tus;
  for (const TuAttestation &tu : data.tus) {
    Array flags;
    for (const std::string &f : tu.flags)
      flags.push_back(f);
    tus.push_back(Object{{"file", tu.file},
                         {"source_sha256", tu.sourceSha256},
                         {"flags_sha256", tu.flagsSha256},
                         {"flags", std::move(flags)},
                         {"inputs_sha256", tu.inputsSha256},
                         {"input_files", static_cast<int64_t>(tu.inputFiles)},
                         {"parsed", tu.parsed},
                         {"findings", static_cast<int64_t>(tu.findings)}});
  }
  Object root{
      {"format", "kml-verify-attestation"},
      {"format_version", 1},
      {"verifier", "kml-verify"},
      {"verifier_version", KML_VERIFY_VERSION},
      {"ruleset_version", std::string(kRuleSetVersion)},
      {"hash", "sha256"},
      {"stack_limit", static_cast<int64_t>(data.stackLimit)},
      {"external_call_budget", static_cast<int64_t>(data.externalCallBudget)},
      {"result", data.passed ? "pass" : "fail"},
      {"findings", static_cast<int64_t>(data.findings)},
      {"translation_units", std::move(tus)}};
  if (data.binary)
    root["binary"] =
        Object{{"file", data.binary->file},
               {"sha256", data.binary->sha256},
               {"findings", static_cast<int64_t>(data.binary->findings)}};
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)));
  os.flush();
  out.push_back('\n');
  return out;
}

} // namespace kml::verify
