#include "rules.hpp"

#include "kml/binary_validator.hpp"

#include <array>
#include <cstdint>

namespace kml::binval {
namespace {

// Rule IDs are stable: never renumber, only append. Titles match the table
// in docs/binary-validator.md.
constexpr std::array kRules{
    RuleInfo{"KML-B001", "syscall left unrewritten"},
    RuleInfo{"KML-B002", "sysenter"},
    RuleInfo{"KML-B003", "software interrupt (int n, int1, into)"},
    // Retired: since patch 0014 an int3 in a ring-0 task's code is the
    // task's SIGTRAP, as at CPL 3, so nothing reports it any more.
    RuleInfo{"KML-B004", "retired: int3 (a SIGTRAP at CPL 0 too)"},
    RuleInfo{"KML-B005", "return to user mode (iret, sysret, sysexit)"},
    RuleInfo{"KML-B006", "swapgs"},
    RuleInfo{"KML-B007", "interrupt and privileged flag control"},
    RuleInfo{"KML-B008", "halt and idle (hlt, monitor, mwait)"},
    RuleInfo{"KML-B009", "model-specific registers (rdmsr, wrmsr)"},
    RuleInfo{"KML-B010", "port I/O (in, out, ins, outs)"},
    RuleInfo{"KML-B011", "control registers (mov crN, lmsw, clts)"},
    RuleInfo{"KML-B012", "debug registers (mov drN)"},
    RuleInfo{"KML-B013", "descriptor table loads (lgdt, lidt, lldt, ltr)"},
    RuleInfo{"KML-B014", "kernel state disclosure (sgdt, sidt, sldt, str, "
                         "smsw, rdgsbase)"},
    RuleInfo{"KML-B015", "cache and TLB control"},
    RuleInfo{"KML-B016", "supervisor extended state (xsetbv, xsaves, xrstors)"},
    RuleInfo{"KML-B017", "FS/GS base writes (wrfsbase, wrgsbase)"},
    RuleInfo{"KML-B018", "GS selector writes (mov gs, pop gs, lgs)"},
    RuleInfo{"KML-B019", "other segment register loads (SS, DS, ES, FS)"},
    RuleInfo{"KML-B020", "far control transfers (far jmp, call, ret)"},
    RuleInfo{"KML-B021", "virtualization and confidential-computing "
                         "instructions"},
    RuleInfo{"KML-B022", "other supervisor-only instructions"},
    RuleInfo{"KML-B023", "bytes that do not decode"},
    RuleInfo{"KML-B024", "non-code section mapped executable"},
};

} // namespace

std::span<const RuleInfo> rules() { return kRules; }

namespace detail {
namespace {

struct MnemonicRule {
  ZydisMnemonic mnemonic{};
  RuleHit hit;
};

// Instructions banned by mnemonic alone. Instructions whose ban depends on the
// encoding (mov, pop, jmp, call, ret) are handled in classifyByEncoding.
constexpr MnemonicRule kByMnemonic[] = {
    {ZYDIS_MNEMONIC_SYSCALL,
     {"KML-B001", "a syscall kml rewrite did not turn into a direct call: "
                  "at CPL 0 it takes the kernel's slow path, which is "
                  "correct but buys nothing; rewrite the program first"}},
    {ZYDIS_MNEMONIC_SYSENTER,
     {"KML-B002", "sysenter enters the kernel's 32-bit fast-syscall entry, "
                  "which assumes it was called from CPL 3"}},
    {ZYDIS_MNEMONIC_INT,
     {"KML-B003", "int n at CPL 0 reaches any IDT gate, including kernel "
                  "vectors user mode cannot invoke"}},
    {ZYDIS_MNEMONIC_INT1,
     {"KML-B003", "int1 (icebp) raises #DB, which the kernel treats as a "
                  "kernel debug event at CPL 0"}},
    {ZYDIS_MNEMONIC_INTO,
     {"KML-B003", "into raises #OF through the IDT; not valid for ring-0 "
                  "programs"}},
    {ZYDIS_MNEMONIC_IRET,
     {"KML-B005", "iret at CPL 0 loads CS/SS/RFLAGS from the stack, bypassing "
                  "the kernel's exit path"}},
    {ZYDIS_MNEMONIC_IRETD,
     {"KML-B005", "iretd at CPL 0 loads CS/SS/RFLAGS from the stack, bypassing "
                  "the kernel's exit path"}},
    {ZYDIS_MNEMONIC_IRETQ,
     {"KML-B005", "iretq at CPL 0 loads CS/SS/RFLAGS from the stack, bypassing "
                  "the kernel's exit path"}},
    {ZYDIS_MNEMONIC_SYSRET,
     {"KML-B005", "sysret at CPL 0 switches to CPL 3 with the kernel's GS "
                  "and stack state"}},
    {ZYDIS_MNEMONIC_SYSEXIT,
     {"KML-B005", "sysexit at CPL 0 switches to CPL 3 with the kernel's GS "
                  "and stack state"}},
    {ZYDIS_MNEMONIC_SWAPGS,
     {"KML-B006", "swapgs exchanges the user and kernel GS bases; the kernel "
                  "owns GS"}},
    {ZYDIS_MNEMONIC_CLI,
     {"KML-B007", "cli at CPL 0 disables interrupts: the program could hold "
                  "the CPU forever"}},
    {ZYDIS_MNEMONIC_STI,
     {"KML-B007", "sti at CPL 0 enables interrupts where the kernel may have "
                  "disabled them"}},
    {ZYDIS_MNEMONIC_POPF,
     {"KML-B007", "popf at CPL 0 can clear IF (interrupts off) and set IOPL "
                  "and AC"}},
    {ZYDIS_MNEMONIC_POPFD,
     {"KML-B007", "popfd at CPL 0 can clear IF (interrupts off) and set IOPL "
                  "and AC"}},
    {ZYDIS_MNEMONIC_POPFQ,
     {"KML-B007", "popfq at CPL 0 can clear IF (interrupts off) and set IOPL "
                  "and AC"}},
    {ZYDIS_MNEMONIC_STAC,
     {"KML-B007", "stac toggles EFLAGS.AC, the kernel's SMAP switch"}},
    {ZYDIS_MNEMONIC_CLAC,
     {"KML-B007", "clac toggles EFLAGS.AC, the kernel's SMAP switch"}},
    {ZYDIS_MNEMONIC_HLT,
     {"KML-B008", "hlt at CPL 0 idles the CPU instead of faulting; libc crash "
                  "paths (glibc abort/_start, musl a_crash) rely on the "
                  "fault, so kml rewrite makes each a trap byte (0x06, #UD)"}},
    {ZYDIS_MNEMONIC_MONITOR,
     {"KML-B008", "monitor/mwait are supervisor idle instructions"}},
    {ZYDIS_MNEMONIC_MWAIT,
     {"KML-B008", "monitor/mwait are supervisor idle instructions"}},
    {ZYDIS_MNEMONIC_RDMSR,
     {"KML-B009", "rdmsr reads model-specific registers (kernel secrets, "
                  "per-CPU state)"}},
    {ZYDIS_MNEMONIC_WRMSR,
     {"KML-B009", "wrmsr rewrites model-specific registers (syscall entry, "
                  "GS base, mitigations)"}},
    {ZYDIS_MNEMONIC_IN,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_OUT,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_INSB,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_INSW,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_INSD,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_OUTSB,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_OUTSW,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_OUTSD,
     {"KML-B010", "port I/O is always permitted at CPL 0 and reaches any "
                  "device"}},
    {ZYDIS_MNEMONIC_LMSW,
     {"KML-B011", "lmsw writes CR0 (protection, paging, write-protect)"}},
    {ZYDIS_MNEMONIC_CLTS,
     {"KML-B011", "clts clears CR0.TS, corrupting the kernel's FPU state "
                  "tracking"}},
    {ZYDIS_MNEMONIC_LGDT,
     {"KML-B013", "lgdt replaces the global descriptor table"}},
    {ZYDIS_MNEMONIC_LIDT,
     {"KML-B013", "lidt replaces the interrupt descriptor table"}},
    {ZYDIS_MNEMONIC_LLDT, {"KML-B013", "lldt loads a local descriptor table"}},
    {ZYDIS_MNEMONIC_LTR,
     {"KML-B013", "ltr loads the task register (kernel stacks, I/O bitmap)"}},
    {ZYDIS_MNEMONIC_SGDT,
     {"KML-B014", "sgdt discloses the GDT address (KASLR); UMIP blocks it "
                  "only at CPL 3"}},
    {ZYDIS_MNEMONIC_SIDT,
     {"KML-B014", "sidt discloses the IDT address (KASLR); UMIP blocks it "
                  "only at CPL 3"}},
    {ZYDIS_MNEMONIC_SLDT,
     {"KML-B014", "sldt discloses kernel descriptor state; UMIP blocks it "
                  "only at CPL 3"}},
    {ZYDIS_MNEMONIC_STR,
     {"KML-B014", "str discloses the task register; UMIP blocks it only at "
                  "CPL 3"}},
    {ZYDIS_MNEMONIC_SMSW,
     {"KML-B014", "smsw discloses CR0; UMIP blocks it only at CPL 3"}},
    {ZYDIS_MNEMONIC_RDGSBASE,
     {"KML-B014", "rdgsbase discloses the kernel per-CPU base, which GS "
                  "holds while a ring-0 task runs"}},
    {ZYDIS_MNEMONIC_INVD,
     {"KML-B015", "invd discards dirty cache lines without writing them "
                  "back"}},
    {ZYDIS_MNEMONIC_WBINVD,
     {"KML-B015", "wbinvd flushes every cache of the CPU (system-wide "
                  "latency)"}},
    {ZYDIS_MNEMONIC_INVLPG,
     {"KML-B015", "invlpg invalidates TLB entries the kernel relies on"}},
    {ZYDIS_MNEMONIC_INVLPGA,
     {"KML-B015", "invlpga invalidates TLB entries the kernel relies on"}},
    {ZYDIS_MNEMONIC_INVLPGB,
     {"KML-B015", "invlpgb broadcasts TLB invalidations to every CPU"}},
    {ZYDIS_MNEMONIC_TLBSYNC,
     {"KML-B015", "tlbsync waits for broadcast TLB invalidations"}},
    {ZYDIS_MNEMONIC_INVPCID,
     {"KML-B015", "invpcid invalidates TLB entries of any address space"}},
    {ZYDIS_MNEMONIC_XSETBV,
     {"KML-B016", "xsetbv rewrites XCR0, the set of vector state the kernel "
                  "saves"}},
    {ZYDIS_MNEMONIC_XSAVES,
     {"KML-B016", "xsaves accesses supervisor extended state (CET, PASID)"}},
    {ZYDIS_MNEMONIC_XSAVES64,
     {"KML-B016", "xsaves accesses supervisor extended state (CET, PASID)"}},
    {ZYDIS_MNEMONIC_XRSTORS,
     {"KML-B016", "xrstors loads supervisor extended state (CET, PASID)"}},
    {ZYDIS_MNEMONIC_XRSTORS64,
     {"KML-B016", "xrstors loads supervisor extended state (CET, PASID)"}},
    {ZYDIS_MNEMONIC_WRFSBASE,
     {"KML-B017", "wrfsbase changes the FS base behind the kernel's back; "
                  "use arch_prctl(ARCH_SET_FS)"}},
    {ZYDIS_MNEMONIC_WRGSBASE,
     {"KML-B017", "wrgsbase overwrites GS base, which holds the kernel "
                  "per-CPU base at CPL 0"}},
    {ZYDIS_MNEMONIC_LGS,
     {"KML-B018", "lgs loads GS and its base; the kernel owns GS"}},
    {ZYDIS_MNEMONIC_LFS,
     {"KML-B019", "lfs loads FS from a descriptor; at CPL 0 kernel (DPL 0) "
                  "descriptors are selectable"}},
    {ZYDIS_MNEMONIC_LSS,
     {"KML-B019", "lss loads SS; at CPL 0 the kernel's entry and IRET frames "
                  "depend on SS"}},
    {ZYDIS_MNEMONIC_VMCALL,
     {"KML-B021", "vmcall at CPL 0 issues trusted hypercalls"}},
    {ZYDIS_MNEMONIC_VMMCALL,
     {"KML-B021", "vmmcall at CPL 0 issues trusted hypercalls"}},
    {ZYDIS_MNEMONIC_VMFUNC,
     {"KML-B021", "vmfunc switches EPT views of the whole guest"}},
    {ZYDIS_MNEMONIC_VMLAUNCH, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMRESUME, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMXON, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMXOFF, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMPTRLD, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMPTRST, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMREAD, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMWRITE, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMCLEAR, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_INVEPT, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_INVVPID, {"KML-B021", "VMX instruction"}},
    {ZYDIS_MNEMONIC_VMRUN, {"KML-B021", "SVM instruction"}},
    {ZYDIS_MNEMONIC_VMLOAD, {"KML-B021", "SVM instruction"}},
    {ZYDIS_MNEMONIC_VMSAVE, {"KML-B021", "SVM instruction"}},
    {ZYDIS_MNEMONIC_STGI,
     {"KML-B021", "SVM instruction (global interrupt "
                  "flag)"}},
    {ZYDIS_MNEMONIC_CLGI,
     {"KML-B021", "SVM instruction (global interrupt "
                  "flag)"}},
    {ZYDIS_MNEMONIC_SKINIT, {"KML-B021", "SVM secure init"}},
    {ZYDIS_MNEMONIC_PVALIDATE,
     {"KML-B021", "SEV-SNP page validation is the guest kernel's job"}},
    {ZYDIS_MNEMONIC_RMPADJUST,
     {"KML-B021", "SEV-SNP RMP update is the guest kernel's job"}},
    {ZYDIS_MNEMONIC_RMPUPDATE,
     {"KML-B021", "SEV-SNP RMP update is the hypervisor's job"}},
    {ZYDIS_MNEMONIC_PSMASH,
     {"KML-B021", "SEV-SNP RMP update is the hypervisor's job"}},
    {ZYDIS_MNEMONIC_TDCALL,
     {"KML-B021", "TDX tdcall is the guest kernel's interface to the TDX "
                  "module"}},
    {ZYDIS_MNEMONIC_SEAMCALL, {"KML-B021", "TDX SEAM instruction"}},
    {ZYDIS_MNEMONIC_SEAMOPS, {"KML-B021", "TDX SEAM instruction"}},
    {ZYDIS_MNEMONIC_SEAMRET, {"KML-B021", "TDX SEAM instruction"}},
    {ZYDIS_MNEMONIC_ENCLS,
     {"KML-B022", "encls is the SGX supervisor interface"}},
    {ZYDIS_MNEMONIC_ENCLV,
     {"KML-B022", "enclv is the SGX virtualization interface"}},
    {ZYDIS_MNEMONIC_PCONFIG,
     {"KML-B022", "pconfig programs memory-encryption keys"}},
    {ZYDIS_MNEMONIC_SETSSBSY,
     {"KML-B022", "setssbsy marks the supervisor shadow stack busy"}},
    {ZYDIS_MNEMONIC_CLRSSBSY,
     {"KML-B022", "clrssbsy releases a supervisor shadow stack"}},
    {ZYDIS_MNEMONIC_RSM,
     {"KML-B022", "rsm returns from system management mode"}},
    {ZYDIS_MNEMONIC_HRESET,
     {"KML-B022", "hreset resets processor history used by the kernel's "
                  "scheduler"}},
    {ZYDIS_MNEMONIC_RDPMC,
     {"KML-B022", "rdpmc at CPL 0 ignores CR4.PCE, the kernel's per-task "
                  "counter policy"}},
};

constexpr RuleHit kMovToCr{"KML-B011", "moves to or from control registers "
                                       "change or disclose paging, protection "
                                       "and page-table roots"};
constexpr RuleHit kMovToDr{"KML-B012", "moves to or from debug registers "
                                       "change or disclose the kernel's "
                                       "hardware breakpoints"};
constexpr RuleHit kGsSelector{"KML-B018", "loading GS replaces the GS base, "
                                          "which holds the kernel per-CPU "
                                          "base at CPL 0"};
constexpr RuleHit kSegmentLoad{"KML-B019",
                               "segment loads at CPL 0 can select kernel "
                               "(DPL 0) descriptors; the kernel's entry and "
                               "exit code assume user selectors"};
constexpr RuleHit kFarTransfer{"KML-B020",
                               "far jmp/call/ret at CPL 0 can load any code "
                               "segment, including kernel or 32-bit ones"};
constexpr RuleHit kUndecodable{"KML-B023",
                               "bytes that do not decode inside code: either "
                               "data in text or a hidden instruction stream"};

// Flat lookup by mnemonic: one indexed load per instruction in the hot loop.
enum class Check : std::uint8_t { None, ByMnemonic, ByEncoding };

struct Table {
  std::array<Check, ZYDIS_MNEMONIC_MAX_VALUE + 1> check{};
  std::array<const RuleHit *, ZYDIS_MNEMONIC_MAX_VALUE + 1> hit{};

  Table() {
    for (const auto &rule : kByMnemonic) {
      check[rule.mnemonic] = Check::ByMnemonic;
      hit[rule.mnemonic] = &rule.hit;
    }
    for (auto mnemonic :
         {ZYDIS_MNEMONIC_MOV, ZYDIS_MNEMONIC_POP, ZYDIS_MNEMONIC_JMP,
          ZYDIS_MNEMONIC_CALL, ZYDIS_MNEMONIC_RET})
      check[mnemonic] = Check::ByEncoding;
  }
};

const Table &table() {
  static const Table instance;
  return instance;
}

bool isLegacyMap(const ZydisDecodedInstruction &insn) {
  return insn.opcode_map == ZYDIS_OPCODE_MAP_DEFAULT;
}
bool isMap0F(const ZydisDecodedInstruction &insn) {
  return insn.opcode_map == ZYDIS_OPCODE_MAP_0F;
}

// mov, pop, jmp, call and ret are everyday instructions; only some encodings
// of them touch control/debug/segment registers or change CS.
const RuleHit *classifyByEncoding(const ZydisDecodedInstruction &insn) {
  constexpr std::uint8_t kSregGs = 5;
  switch (insn.mnemonic) {
  case ZYDIS_MNEMONIC_MOV:
    if (isMap0F(insn) && (insn.opcode == 0x20 || insn.opcode == 0x22))
      return &kMovToCr;
    if (isMap0F(insn) && (insn.opcode == 0x21 || insn.opcode == 0x23))
      return &kMovToDr;
    if (isLegacyMap(insn) && insn.opcode == 0x8E) // mov Sreg, r/m
      return insn.raw.modrm.reg == kSregGs ? &kGsSelector : &kSegmentLoad;
    return nullptr;
  case ZYDIS_MNEMONIC_POP:
    if (isMap0F(insn) && insn.opcode == 0xA9) // pop gs
      return &kGsSelector;
    if (isMap0F(insn) && insn.opcode == 0xA1) // pop fs
      return &kSegmentLoad;
    if (isLegacyMap(insn) &&
        (insn.opcode == 0x07 || insn.opcode == 0x17 || insn.opcode == 0x1F))
      return &kSegmentLoad; // pop es/ss/ds: invalid in 64-bit mode anyway
    return nullptr;
  case ZYDIS_MNEMONIC_JMP:
  case ZYDIS_MNEMONIC_CALL:
    if (isLegacyMap(insn) && (insn.opcode == 0xEA || insn.opcode == 0x9A))
      return &kFarTransfer; // ptr16:32 forms
    if (isLegacyMap(insn) && insn.opcode == 0xFF &&
        (insn.raw.modrm.reg == 3 || insn.raw.modrm.reg == 5))
      return &kFarTransfer; // call/jmp m16:64
    return nullptr;
  case ZYDIS_MNEMONIC_RET:
    if (isLegacyMap(insn) && (insn.opcode == 0xCA || insn.opcode == 0xCB))
      return &kFarTransfer;
    return nullptr;
  default:
    return nullptr;
  }
}

} // namespace

const RuleHit *classify(const ZydisDecodedInstruction &insn) {
  const Table &t = table();
  switch (t.check[insn.mnemonic]) {
  case Check::None:
    return nullptr;
  case Check::ByMnemonic:
    return t.hit[insn.mnemonic];
  case Check::ByEncoding:
    return classifyByEncoding(insn);
  }
  return nullptr;
}

const RuleHit &undecodableRule() { return kUndecodable; }

const RuleHit &dataInCodeRule() {
  static constexpr RuleHit kDataInCode{
      "KML-B024", "an executable segment maps this non-code section, so its "
                  "bytes can run at CPL 0; link with -z separate-code"};
  return kDataInCode;
}

bool endsStraightLineFlow(const ZydisDecodedInstruction &insn) {
  switch (insn.mnemonic) {
  case ZYDIS_MNEMONIC_RET:
  case ZYDIS_MNEMONIC_JMP:
  case ZYDIS_MNEMONIC_UD2:
    return true;
  default:
    return false;
  }
}

} // namespace detail
} // namespace kml::binval
