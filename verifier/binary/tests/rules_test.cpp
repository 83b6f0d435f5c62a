// Every banned instruction class, hand-assembled, through validateCode: the
// exact rule ID, address, symbol and mnemonic of the single finding.
#include "kml/binary_validator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace kml::binval {
namespace {

constexpr std::uint64_t kBase = 0x401000;

std::vector<std::byte> toBytes(const std::vector<std::uint8_t> &raw) {
  std::vector<std::byte> bytes;
  bytes.reserve(raw.size());
  for (std::uint8_t b : raw)
    bytes.push_back(std::byte{b});
  return bytes;
}

// `mov eax, 1` in front of the instruction under test, so it is reachable by
// straight-line flow and its address is not the symbol start.
const std::vector<std::uint8_t> kPrologue = {0xb8, 0x01, 0x00, 0x00, 0x00};

Report scanInFunction(const std::vector<std::uint8_t> &instruction) {
  std::vector<std::uint8_t> raw = kPrologue;
  raw.insert(raw.end(), instruction.begin(), instruction.end());
  raw.push_back(0xc3); // ret
  std::vector<std::byte> code = toBytes(raw);
  std::vector<Symbol> symbols = {{"victim", kBase, raw.size()}};
  return validateCode(code, kBase, symbols);
}

struct BannedCase {
  const char *name;
  std::vector<std::uint8_t> bytes;
  const char *ruleId;
  const char *text; // expected start of the Intel-syntax text
};

std::ostream &operator<<(std::ostream &out, const BannedCase &c) {
  return out << c.name;
}

class BannedInstruction : public ::testing::TestWithParam<BannedCase> {};

TEST_P(BannedInstruction, IsReportedWithRuleAddressAndSymbol) {
  const BannedCase &c = GetParam();
  Report report = scanInFunction(c.bytes);
  ASSERT_EQ(report.findings.size(), 1u) << c.name;
  const Finding &finding = report.findings[0];
  EXPECT_EQ(finding.ruleId, c.ruleId);
  EXPECT_EQ(finding.address, kBase + kPrologue.size());
  EXPECT_EQ(finding.symbol, "victim+0x5");
  EXPECT_EQ(finding.instruction.rfind(c.text, 0), 0u)
      << "instruction text: " << finding.instruction;
  EXPECT_FALSE(finding.reason.empty());
  EXPECT_EQ(finding.reason.find('\n'), std::string::npos);
}

const BannedCase kBanned[] = {
    {"syscall", {0x0f, 0x05}, "KML-B001", "syscall"},
    {"sysenter", {0x0f, 0x34}, "KML-B002", "sysenter"},
    {"int80", {0xcd, 0x80}, "KML-B003", "int 0x80"},
    {"int1", {0xf1}, "KML-B003", "int1"},
    {"iretd", {0xcf}, "KML-B005", "iretd"},
    {"iretq", {0x48, 0xcf}, "KML-B005", "iretq"},
    {"sysret", {0x48, 0x0f, 0x07}, "KML-B005", "sysret"},
    {"sysexit", {0x0f, 0x35}, "KML-B005", "sysexit"},
    {"swapgs", {0x0f, 0x01, 0xf8}, "KML-B006", "swapgs"},
    {"cli", {0xfa}, "KML-B007", "cli"},
    {"sti", {0xfb}, "KML-B007", "sti"},
    {"popfq", {0x9d}, "KML-B007", "popfq"},
    {"stac", {0x0f, 0x01, 0xcb}, "KML-B007", "stac"},
    {"clac", {0x0f, 0x01, 0xca}, "KML-B007", "clac"},
    {"hlt", {0xf4}, "KML-B008", "hlt"},
    {"monitor", {0x0f, 0x01, 0xc8}, "KML-B008", "monitor"},
    {"mwait", {0x0f, 0x01, 0xc9}, "KML-B008", "mwait"},
    {"rdmsr", {0x0f, 0x32}, "KML-B009", "rdmsr"},
    {"wrmsr", {0x0f, 0x30}, "KML-B009", "wrmsr"},
    {"in_dx", {0xec}, "KML-B010", "in al, dx"},
    {"in_imm", {0xe5, 0x60}, "KML-B010", "in eax, 0x60"},
    {"out_dx", {0xee}, "KML-B010", "out dx, al"},
    {"out_imm", {0xe6, 0x80}, "KML-B010", "out 0x80, al"},
    {"insb", {0x6c}, "KML-B010", "insb"},
    {"outsd", {0x6f}, "KML-B010", "outsd"},
    {"mov_from_cr3", {0x0f, 0x20, 0xd8}, "KML-B011", "mov rax, cr3"},
    {"mov_to_cr3", {0x0f, 0x22, 0xd8}, "KML-B011", "mov cr3, rax"},
    {"mov_to_cr4", {0x0f, 0x22, 0xe0}, "KML-B011", "mov cr4, rax"},
    {"lmsw", {0x0f, 0x01, 0xf0}, "KML-B011", "lmsw"},
    {"clts", {0x0f, 0x06}, "KML-B011", "clts"},
    {"mov_from_dr7", {0x0f, 0x21, 0xf8}, "KML-B012", "mov rax, dr7"},
    {"mov_to_dr7", {0x0f, 0x23, 0xf8}, "KML-B012", "mov dr7, rax"},
    {"lgdt", {0x0f, 0x01, 0x10}, "KML-B013", "lgdt"},
    {"lidt", {0x0f, 0x01, 0x18}, "KML-B013", "lidt"},
    {"lldt", {0x0f, 0x00, 0xd0}, "KML-B013", "lldt"},
    {"ltr", {0x0f, 0x00, 0xd8}, "KML-B013", "ltr"},
    {"sgdt", {0x0f, 0x01, 0x00}, "KML-B014", "sgdt"},
    {"sidt", {0x0f, 0x01, 0x08}, "KML-B014", "sidt"},
    {"sldt", {0x0f, 0x00, 0xc0}, "KML-B014", "sldt"},
    {"str", {0x0f, 0x00, 0xc8}, "KML-B014", "str"},
    {"smsw", {0x0f, 0x01, 0xe0}, "KML-B014", "smsw"},
    {"rdgsbase", {0xf3, 0x48, 0x0f, 0xae, 0xc8}, "KML-B014", "rdgsbase"},
    {"invd", {0x0f, 0x08}, "KML-B015", "invd"},
    {"wbinvd", {0x0f, 0x09}, "KML-B015", "wbinvd"},
    {"invlpg", {0x0f, 0x01, 0x38}, "KML-B015", "invlpg"},
    {"invpcid", {0x66, 0x0f, 0x38, 0x82, 0x01}, "KML-B015", "invpcid"},
    {"xsetbv", {0x0f, 0x01, 0xd1}, "KML-B016", "xsetbv"},
    {"xsaves", {0x0f, 0xc7, 0x28}, "KML-B016", "xsaves"},
    {"xrstors", {0x0f, 0xc7, 0x18}, "KML-B016", "xrstors"},
    {"wrfsbase", {0xf3, 0x48, 0x0f, 0xae, 0xd0}, "KML-B017", "wrfsbase"},
    {"wrgsbase", {0xf3, 0x48, 0x0f, 0xae, 0xd8}, "KML-B017", "wrgsbase"},
    {"mov_gs", {0x8e, 0xe8}, "KML-B018", "mov gs, ax"},
    {"pop_gs", {0x0f, 0xa9}, "KML-B018", "pop gs"},
    {"lgs", {0x0f, 0xb5, 0x01}, "KML-B018", "lgs"},
    {"mov_ss", {0x8e, 0xd0}, "KML-B019", "mov ss"},
    {"mov_fs", {0x8e, 0xe0}, "KML-B019", "mov fs"},
    {"mov_ds", {0x8e, 0xd8}, "KML-B019", "mov ds"},
    {"mov_es", {0x8e, 0xc0}, "KML-B019", "mov es"},
    {"pop_fs", {0x0f, 0xa1}, "KML-B019", "pop fs"},
    {"lss", {0x0f, 0xb2, 0x01}, "KML-B019", "lss"},
    {"lfs", {0x0f, 0xb4, 0x01}, "KML-B019", "lfs"},
    {"jmp_far", {0xff, 0x28}, "KML-B020", "jmp far"},
    {"call_far", {0xff, 0x18}, "KML-B020", "call far"},
    {"retf", {0xcb}, "KML-B020", "ret"},
    {"retf_imm", {0xca, 0x08, 0x00}, "KML-B020", "ret"},
    {"vmcall", {0x0f, 0x01, 0xc1}, "KML-B021", "vmcall"},
    {"vmmcall", {0x0f, 0x01, 0xd9}, "KML-B021", "vmmcall"},
    {"vmlaunch", {0x0f, 0x01, 0xc2}, "KML-B021", "vmlaunch"},
    {"vmxoff", {0x0f, 0x01, 0xc4}, "KML-B021", "vmxoff"},
    {"vmrun", {0x0f, 0x01, 0xd8}, "KML-B021", "vmrun"},
    {"invept", {0x66, 0x0f, 0x38, 0x80, 0x01}, "KML-B021", "invept"},
    {"rdpmc", {0x0f, 0x33}, "KML-B022", "rdpmc"},
    {"encls", {0x0f, 0x01, 0xcf}, "KML-B022", "encls"},
    {"rsm", {0x0f, 0xaa}, "KML-B022", "rsm"},
    {"setssbsy", {0xf3, 0x0f, 0x01, 0xe8}, "KML-B022", "setssbsy"},
    {"pconfig", {0x0f, 0x01, 0xc5}, "KML-B022", "pconfig"},
    {"push_cs_invalid", {0x0e}, "KML-B023", ".byte 0x0e"},
    {"into_invalid_in_64bit", {0xce}, "KML-B023", ".byte 0xce"},
    {"undefined_0f04", {0x0f, 0x04}, "KML-B023", ".byte 0x0f"},
};

INSTANTIATE_TEST_SUITE_P(AllClasses, BannedInstruction,
                         ::testing::ValuesIn(kBanned),
                         [](const ::testing::TestParamInfo<BannedCase> &info) {
                           return std::string(info.param.name);
                         });

TEST(RuleTable, EveryRuleIsTestedAndIdsAreSequential) {
  std::vector<std::string> tested;
  for (const BannedCase &c : kBanned)
    tested.emplace_back(c.ruleId);
  // Not an instruction rule: tested in elf_test.cpp (NonCodeSection...).
  tested.emplace_back("KML-B024");
  // Retired, reported by nothing: AllowedCode below has its int3.
  tested.emplace_back("KML-B004");
  int expected = 1;
  for (const RuleInfo &rule : rules()) {
    char id[16];
    ASSERT_EQ(std::snprintf(id, sizeof id, "KML-B%03d", expected++), 8);
    EXPECT_EQ(rule.id, id);
    EXPECT_NE(std::ranges::find(tested, std::string(rule.id)), tested.end())
        << rule.id << " has no test case";
  }
}

// Ordinary user-mode code, including instructions we decided to allow:
// rdtsc, cpuid, xgetbv, wrpkru/rdpkru, reading GS, rdfsbase, int3, ud2.
TEST(AllowedCode, OrdinaryInstructionsProduceNoFinding) {
  std::vector<std::uint8_t> raw = {
      0x55,                               // push rbp
      0x48, 0x89, 0xe5,                   // mov rbp, rsp
      0xb8, 0x01, 0x00, 0x00, 0x00,       // mov eax, 1
      0xe8, 0x00, 0x00, 0x00, 0x00,       // call next
      0x0f, 0x28, 0xc1,                   // movaps xmm0, xmm1
      0x66, 0x0f, 0xfe, 0xc1,             // paddd xmm0, xmm1
      0xc5, 0xfc, 0x58, 0xc1,             // vaddps ymm0, ymm0, ymm1
      0x62, 0xf1, 0x7c, 0x48, 0x58, 0xc1, // vaddps zmm0, zmm0, zmm1
      0x0f, 0x31,                         // rdtsc
      0x0f, 0x01, 0xf9,                   // rdtscp
      0x0f, 0xa2,                         // cpuid
      0x0f, 0x01, 0xd0,                   // xgetbv
      0x0f, 0x01, 0xef,                   // wrpkru
      0x0f, 0x01, 0xee,                   // rdpkru
      0x8c, 0xe8,                         // mov eax, gs (read)
      0xf3, 0x48, 0x0f, 0xae, 0xc0,       // rdfsbase rax
      0x64, 0x48, 0x8b, 0x04, 0x25, 0x28,
      0x00, 0x00, 0x00,             // mov rax, fs:[0x28]
      0x0f, 0xae, 0x20,             // xsave [rax]
      0x0f, 0xae, 0x00,             // fxsave [rax]
      0x0f, 0xae, 0xe8,             // lfence
      0xf3, 0x90,                   // pause
      0xcc,                         // int3 (KML-B004 is retired)
      0x9c,                         // pushfq
      0xf0, 0x48, 0x0f, 0xb1, 0x0a, // lock cmpxchg [rdx], rcx
      0xff, 0xd0,                   // call rax (near)
      0xff, 0x20,                   // jmp [rax] (near)
      0x0f, 0x0b,                   // ud2
      0xc3,                         // ret
  };
  std::vector<std::byte> code = toBytes(raw);
  std::vector<Symbol> symbols = {{"ordinary", kBase, raw.size()}};
  Report report = validateCode(code, kBase, symbols);
  for (const Finding &f : report.findings)
    ADD_FAILURE() << f.ruleId << " " << f.instruction << " at " << f.symbol;
  EXPECT_EQ(report.textBytes, raw.size());
  EXPECT_EQ(report.instructions, 28u);
}

} // namespace
} // namespace kml::binval
