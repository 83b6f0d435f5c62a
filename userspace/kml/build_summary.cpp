#include "build_summary.hpp"

namespace kml {

void printSummary(std::ostream &out, const BuildSummary &summary) {
  std::size_t left = 0;
  for (const auto &[reason, count] : summary.sitesLeft) {
    left += count;
  }
  out << "kml build: " << summary.output << "\n"
      << "  checked    " << summary.translationUnits << " translation unit"
      << (summary.translationUnits == 1 ? "" : "s") << " against "
      << summary.rules << " rules (rule set " << summary.rulesetVersion
      << "), and the binary\n"
      << "  findings   " << summary.findings << "\n"
      << "  syscalls   " << summary.sitesRewritten + left
      << " sites: " << summary.sitesRewritten << " rewritten, " << left
      << " left";
  if (left != 0) {
    out << " (";
    const char *separator = "";
    for (const auto &[reason, count] : summary.sitesLeft) {
      out << separator << count << " " << reason;
      separator = ", ";
    }
    out << ")";
  }
  out << "\n";
  if (summary.haltsReplaced + summary.haltsLeft != 0) {
    out << "  hlt        " << summary.haltsReplaced + summary.haltsLeft
        << " found, " << summary.haltsReplaced << " made a trap (0x06)\n";
  }
  out << "  size       " << summary.fileBytes << " bytes ("
      << summary.programBytes << " program, "
      << summary.fileBytes - summary.programBytes << " signature)\n"
      << "  assurance  " << summary.assurance << " (attestation sha256 "
      << summary.attestationSha256 << ")"
      << (summary.bypass ? ", bypass approved" : "") << "\n"
      << "  key        " << summary.keySubject << "\n"
      << "  output     " << summary.output << "\n";
}

} // namespace kml
