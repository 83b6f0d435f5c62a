// Real binaries: a `gcc -static` program built at test time, its stripped
// copy, Debian's busybox-static when installed, and this test executable.
// objdump is the independent oracle for where the syscall and hlt
// instructions are.
#include "kml/binary_validator.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kml::binval {
namespace {

using AddressSet = std::set<std::uint64_t>;

struct PipeCloser {
  void operator()(FILE *pipe) const { ::pclose(pipe); }
};

// objdump's disassembly of the executable sections, one (address, Intel
// text) per instruction, in order.
std::vector<std::pair<std::uint64_t, std::string>>
objdumpInstructions(const std::string &file) {
  std::string command = std::string(KML_BINVAL_OBJDUMP) +
                        " -d --no-show-raw-insn -M intel '" + file + "'";
  std::unique_ptr<FILE, PipeCloser> pipe(::popen(command.c_str(), "r"));
  if (!pipe)
    throw std::runtime_error("cannot run " + command);
  const std::regex line(R"(^\s*([0-9a-f]+):\s+(.*\S)\s*$)");
  std::vector<std::pair<std::uint64_t, std::string>> insns;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) {
    std::string text(buffer);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    std::smatch match;
    if (std::regex_match(text, match, line))
      insns.emplace_back(std::stoull(match[1].str(), nullptr, 16),
                         match[2].str());
  }
  return insns;
}

// Addresses objdump decodes as `mnemonic` in the executable sections.
AddressSet objdumpSites(const std::string &file, const std::string &mnemonic) {
  AddressSet sites;
  for (const auto &[address, text] : objdumpInstructions(file))
    if (text == mnemonic)
      sites.insert(address);
  return sites;
}

// Addresses of the `syscall`s objdump shows right after `mov rax,0xf`: the
// rt_sigreturn trampolines. (objdump prints the same text for the movabs
// encoding, which no libc uses for it; the unit tests cover encodings.)
AddressSet objdumpTrampolines(const std::string &file) {
  const auto insns = objdumpInstructions(file);
  const std::regex mov("mov\\s+rax,0xf");
  AddressSet sites;
  for (std::size_t i = 1; i < insns.size(); ++i)
    if (insns[i].second == "syscall" &&
        std::regex_match(insns[i - 1].second, mov))
      sites.insert(insns[i].first);
  return sites;
}

AddressSet without(AddressSet set, const AddressSet &removed) {
  for (std::uint64_t address : removed)
    set.erase(address);
  return set;
}

AddressSet findingSites(const Report &report, const std::string &ruleId) {
  AddressSet sites;
  for (const Finding &f : report.findings)
    if (f.ruleId == ruleId)
      sites.insert(f.address);
  return sites;
}

// Real static programs contain syscall (glibc, musl) and hlt (abort, _start,
// musl's a_crash); anything else would be a false positive.
void expectOnlySyscallAndHlt(const Report &report) {
  for (const Finding &f : report.findings)
    if (f.ruleId != "KML-B001" && f.ruleId != "KML-B008")
      ADD_FAILURE() << "unexpected " << f.ruleId << " '" << f.instruction
                    << "' at " << f.symbol;
}

// Every syscall is KML-B001 but the rt_sigreturn trampoline, which is
// counted instead: these programs handle no signal themselves, but glibc
// links its sigaction, so each has exactly one.
void expectMatchesObjdump(const std::string &file, const Report &report) {
  AddressSet syscalls = objdumpSites(file, "syscall");
  ASSERT_FALSE(syscalls.empty()) << "objdump found no syscall in " << file;
  const AddressSet trampolines = objdumpTrampolines(file);
  EXPECT_EQ(trampolines.size(), 1u);
  EXPECT_EQ(report.sigreturnTrampolines, trampolines.size());
  EXPECT_EQ(findingSites(report, "KML-B001"), without(syscalls, trampolines));
  EXPECT_EQ(findingSites(report, "KML-B008"), objdumpSites(file, "hlt"));
  expectOnlySyscallAndHlt(report);
}

TEST(RealBinary, StaticGlibcProgramReportsEverySyscallSite) {
  Report report = validateFile(KML_BINVAL_SYSPROG);
  expectMatchesObjdump(KML_BINVAL_SYSPROG, report);
  EXPECT_GT(report.textBytes, 100000u);

  // glibc's write wrapper is one of the sites, named by its symbol.
  bool sawWrite = false;
  for (const Finding &f : report.findings)
    if (f.ruleId == "KML-B001" &&
        (f.symbol.starts_with("__libc_write+") ||
         f.symbol.starts_with("write+") || f.symbol.starts_with("__write+")))
      sawWrite = true;
  EXPECT_TRUE(sawWrite);
  for (const Finding &f : report.findings)
    EXPECT_NE(f.symbol, "?");
}

TEST(RealBinary, StrippedCopyReportsTheSameSites) {
  const std::string stripped = std::string(KML_BINVAL_SYSPROG) + ".stripped";
  Report full = validateFile(KML_BINVAL_SYSPROG);
  Report report = validateFile(stripped);
  EXPECT_EQ(findingSites(report, "KML-B001"), findingSites(full, "KML-B001"));
  expectMatchesObjdump(stripped, report);
  for (const Finding &f : report.findings)
    EXPECT_EQ(f.symbol, "?");
}

TEST(RealBinary, WithoutSeparateCodeTheMappedDataIsReported) {
  // Same program linked -z noseparate-code: headers, .rodata and .eh_frame
  // share the executable segment. They are reported as whole sections
  // (KML-B024), not decoded into bogus instructions.
  const std::string nosep = std::string(KML_BINVAL_SYSPROG) + ".nosep";
  Report report = validateFile(nosep);
  std::set<std::string> dataSections;
  for (const Finding &f : report.findings) {
    EXPECT_TRUE(f.ruleId == "KML-B001" || f.ruleId == "KML-B008" ||
                f.ruleId == "KML-B024")
        << f.ruleId << " '" << f.instruction << "' at " << f.symbol;
    if (f.ruleId == "KML-B024")
      dataSections.insert(f.instruction);
  }
  bool sawRodata = false;
  for (const std::string &section : dataSections)
    sawRodata |= section.starts_with("(section .rodata,");
  EXPECT_TRUE(sawRodata);
  EXPECT_EQ(findingSites(report, "KML-B001"),
            without(objdumpSites(nosep, "syscall"), objdumpTrampolines(nosep)));
}

TEST(RealBinary, DebianBusyboxStatic) {
  const std::string busybox = "/bin/busybox";
  if (!std::filesystem::exists(busybox))
    GTEST_SKIP() << "busybox-static is not installed";
  Report report = validateFile(busybox);
  expectMatchesObjdump(busybox, report);
}

TEST(RealBinary, ThisTestExecutableHasOnlyRealFindings) {
  // Dynamically linked C++ (gtest, libstdc++ templates, SSE): its libc
  // syscalls live in libc.so. What remains are real instructions: crt1's
  // _start ends in hlt, and a sanitizer runtime (ASan/UBSan builds) makes
  // raw syscalls. (gtest's --gtest_break_on_failure int3 is allowed.)
  const std::string self = std::filesystem::read_symlink("/proc/self/exe");
  Report report = validateFile(self);
  for (const Finding &f : report.findings)
    if (f.ruleId != "KML-B001" && f.ruleId != "KML-B008")
      ADD_FAILURE() << f.ruleId << " '" << f.instruction << "' at " << f.symbol;
  // objdump also decodes data (clang's -fsanitize=function hashes in
  // sanitizer builds), so here it bounds the findings instead of matching.
  for (const char *rule : {"KML-B001", "KML-B008"}) {
    std::string mnemonic = rule == std::string("KML-B001") ? "syscall" : "hlt";
    AddressSet oracle = objdumpSites(self, mnemonic);
    for (std::uint64_t address : findingSites(report, rule))
      EXPECT_TRUE(oracle.count(address))
          << rule << " at " << std::hex << address;
  }
  EXPECT_GT(report.instructions, 10000u);
}

} // namespace
} // namespace kml::binval
