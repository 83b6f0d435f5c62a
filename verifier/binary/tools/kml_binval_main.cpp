// kml-binval: run the binary validator on ELF files from the command line.
// Exit status: 0 no findings, 1 findings, 2 unreadable or malformed input.
#include "kml/binary_validator.hpp"

#include <cinttypes>
#include <cstdio>

int main(int argc, char **argv) {
  if (argc < 2) {
    (void)std::fprintf(stderr, "usage: %s ELF...\n", argv[0]);
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    try {
      kml::binval::Report report = kml::binval::validateFile(argv[i]);
      for (const auto &f : report.findings)
        std::printf("%s:0x%" PRIx64 ": %s: %s [%s]: %s\n", argv[i], f.address,
                    f.ruleId.c_str(), f.instruction.c_str(), f.symbol.c_str(),
                    f.reason.c_str());
      std::printf("%s: %zu findings, %" PRIu64 " instructions, %" PRIu64
                  " bytes of code",
                  argv[i], report.findings.size(), report.instructions,
                  report.textBytes);
      // Only for rewritten programs, so other summaries read as before.
      if (report.stubFallbacks != 0)
        std::printf(", %" PRIu64 " rewriter stub fallbacks accepted",
                    report.stubFallbacks);
      if (report.sigreturnTrampolines != 0)
        std::printf(", %" PRIu64 " rt_sigreturn trampolines accepted",
                    report.sigreturnTrampolines);
      if (report.haltTraps != 0)
        std::printf(", %" PRIu64 " hlt traps accepted", report.haltTraps);
      std::printf("\n");
      if (!report.findings.empty() && status == 0)
        status = 1;
    } catch (const kml::binval::Error &error) {
      (void)std::fprintf(stderr, "kml-binval: %s\n", error.what());
      status = 2;
    }
  }
  return status;
}
