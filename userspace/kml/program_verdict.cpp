#include "program_verdict.hpp"

#include "exec_checks.hpp"

#include "kml/gate/gate_error.hpp"

#include <linux/kml_note.h>

namespace kml {
namespace {

std::string notRing0Why(const std::optional<MarkerInfo> &marker) {
  if (!marker) {
    return "there is no KML marker, so exec runs it as a normal program at "
           "ring 3 and never asks kml.ko";
  }
  return "the KML marker is disabled (kml enable turns it on), so exec runs "
         "it as a normal program at ring 3 and never asks kml.ko";
}

void refuse(ProgramVerdict &verdict, const gate::GateVerdict &check,
            const std::string &context) {
  verdict.decision = Decision::Refused;
  verdict.refusal = check.reason();
  verdict.why = context + check.describe();
}

} // namespace

ProgramVerdict decideProgram(const ElfImage &image, const KernelPolicy &policy,
                             std::span<const gate::Certificate> trusted,
                             std::string trustedFrom) {
  ProgramVerdict verdict;
  verdict.marker = image.marker();
  verdict.signature = readSignatureFacts(image.bytes());
  verdict.policy = policy;
  verdict.trustedFrom = std::move(trustedFrom);
  if (!gatedAtExec(image)) {
    verdict.decision = Decision::NormalProgram;
    verdict.why = notRing0Why(image.marker());
    return verdict;
  }
  // kml.ko's order: the image, the signature, the policy, the approval's
  // extent (loader/exec.c, loader/gate.c; cmd_verify.cpp does the same).
  if (const gate::GateVerdict check = checkExecImage(image); !check.allowed()) {
    refuse(verdict, check, "exec refuses the program before its signature: ");
    return verdict;
  }
  if (verdict.signature.state == SignatureFacts::State::None &&
      policy.allowUnsigned) {
    verdict.decision = Decision::Ring0;
    verdict.why = "unsigned, but allow_unsigned is 1 (development mode): "
                  "kml.ko runs it at ring 0 with a warning in the kernel log";
    return verdict;
  }
  const ExecPolicy execPolicy{.allowBypass = policy.allowBypass};
  const gate::GateReport report =
      gate::checkSignedFile(image.bytes(), trusted, policy.gate);
  if (!report.verdict.allowed()) {
    refuse(verdict, report.verdict, "kml.ko refuses the exec: ");
    return verdict;
  }
  if (!report.manifest || report.manifest->entries.empty()) {
    verdict.decision = Decision::Refused;
    verdict.refusal = gate::GateReason::BAD_MANIFEST;
    verdict.why = "kml.ko refuses the exec: a signed manifest without entries";
    return verdict;
  }
  const gate::ManifestEntry &entry = report.manifest->entries.front();
  if (const gate::GateVerdict check =
          checkExecApproval(image, entry, execPolicy);
      !check.allowed()) {
    refuse(verdict, check, "kml.ko refuses the exec: ");
    return verdict;
  }
  verdict.decision = Decision::Ring0;
  verdict.why = "signed by " + report.signer.value_or("?") +
                " with assurance " +
                std::string(gate::assuranceName(entry.assurance)) +
                ", generation " + std::to_string(report.manifest->generation) +
                ": kml.ko runs it at ring 0 (for root, or a member of "
                "exec_group)";
  return verdict;
}

} // namespace kml
