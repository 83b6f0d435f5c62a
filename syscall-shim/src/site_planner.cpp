#include "site_planner.hpp"

#include <array>
#include <cstring>
#include <utility>

namespace kml::rewrite {
namespace {

constexpr std::uint64_t kJmpLength = 5; // e9 rel32
constexpr int kMaxNeighbours = 3;       // per side
// Room the stub segment may take beyond its start, for range checks.
constexpr std::uint64_t kStubAreaSlack = 64ULL << 20;

constexpr std::uint32_t kSysRtSigreturn = 15;
// `mov $15,%rax` just before the trampoline's syscall.
constexpr std::array<std::uint8_t, 7> kMovRax15{0x48, 0xc7, 0xc0, 0x0f,
                                                0x00, 0x00, 0x00};

ZydisRegister widest(ZydisRegister reg) {
  return ZydisRegisterGetLargestEnclosing(ZYDIS_MACHINE_MODE_LONG_64, reg);
}

bool fitsRel32(std::int64_t value) {
  return value >= INT32_MIN && value <= INT32_MAX;
}

// musl's __syscall_cp_asm ends with `mov %r11,8(%rsp); syscall; ret`
// (between its __cp_begin and __cp_end labels); in a stripped program
// these bytes are how it is recognised.
constexpr std::array<std::uint8_t, 5> kCpBefore{0x4c, 0x89, 0x5c, 0x24, 0x08};
// musl's __unmapself: `mov $11,%eax; syscall; xor %rdi,%rdi; mov $60,%eax;
// syscall` (munmap of its own stack, then exit).
constexpr std::array<std::uint8_t, 17> kUnmapself{
    0xb8, 0x0b, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x48, 0x31,
    0xff, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05};

} // namespace

SitePlanner::SitePlanner(const ElfView &elf, const CodeMap &code,
                         std::uint64_t stubArea)
    : elf_(elf), code_(code), stubArea_(stubArea) {
  for (const auto &[address, symbol] : elf.symbols()) {
    // musl's labels, and glibc's (2.41 and later) for the same idea.
    if (symbol.name == "__cp_begin" ||
        symbol.name == "__syscall_cancel_arch_start") {
      cpBegin_ = address;
    } else if (symbol.name == "__cp_end" ||
               symbol.name == "__syscall_cancel_arch_end") {
      cpEnd_ = address;
    }
  }
}

std::vector<PlannedSite> SitePlanner::planAll() {
  std::vector<PlannedSite> sites;
  const auto &insns = code_.instructions();
  for (std::size_t i = 0; i < insns.size(); ++i) {
    if (insns[i].syscall) {
      const std::optional<SitePlan> &planned = sites.emplace_back(plan(i)).plan;
      if (planned) {
        claimedEnd_ = planned->end;
      }
    }
  }
  return sites;
}

bool SitePlanner::reachable(std::uint64_t address) const {
  const auto lo = static_cast<std::int64_t>(stubArea_ - address);
  const auto hi =
      static_cast<std::int64_t>(stubArea_ + kStubAreaSlack - address);
  return fitsRel32(lo) && fitsRel32(hi);
}

// Sites that are left alone whatever their neighbours look like.
std::optional<LeaveReason>
SitePlanner::specialCase(std::uint64_t address,
                         std::optional<std::uint32_t> nr) const {
  const Symbol *symbol = elf_.symbolAt(address);
  const std::string name = symbol != nullptr ? symbol->name : "";
  // musl decides whether a cancellation request may act by comparing the
  // interrupted PC with [__cp_begin, __cp_end): moved out of the range,
  // the syscall would no longer be a cancellation point.
  if (name == "__syscall_cp_asm" || name == "__cp_begin" ||
      name == "__syscall_cancel_arch" ||
      (cpBegin_ && cpEnd_ && address >= *cpBegin_ && address < *cpEnd_)) {
    return LeaveReason::CancellationPoint;
  }
  if (const auto before =
          elf_.at(address - kCpBefore.size(), kCpBefore.size() + 3);
      before &&
      std::memcmp(before->data(), kCpBefore.data(), kCpBefore.size()) == 0 &&
      std::to_integer<std::uint8_t>((*before)[kCpBefore.size() + 2]) == 0xc3) {
    return LeaveReason::CancellationPoint;
  }
  // musl's __unmapself frees the stack it runs on, then exits: keep the
  // native instruction, which never touches the stack whatever the mode.
  if (name == "__unmapself") {
    return LeaveReason::UnmapsOwnStack;
  }
  for (std::uint64_t back : {5U, 15U}) {
    if (const auto bytes = elf_.at(address - back, kUnmapself.size());
        bytes &&
        std::memcmp(bytes->data(), kUnmapself.data(), kUnmapself.size()) == 0) {
      return LeaveReason::UnmapsOwnStack;
    }
  }
  // The rt_sigreturn trampoline is recognised by its exact bytes
  // (`mov $15,%rax; syscall`) by unwinders (libgcc's signal-frame
  // fallback) and debuggers; it runs once per handled signal. Any other
  // way of making rt_sigreturn is a site like the others (the stub keeps
  // the stack as it is), and the binary validator accepts only these
  // bytes.
  if (const auto bytes =
          elf_.at(address - kMovRax15.size(), kMovRax15.size() + 2);
      nr == kSysRtSigreturn && bytes &&
      std::memcmp(bytes->data(), kMovRax15.data(), kMovRax15.size()) == 0) {
    return LeaveReason::SigreturnTrampoline;
  }
  // With symbols, code lives in functions; bytes between sized functions
  // are padding or data that a linear sweep happened to decode.
  if (elf_.symbolsComplete() && !elf_.symbols().empty() && symbol == nullptr) {
    return LeaveReason::OutsideFunctions;
  }
  if (code_.distanceFromUndecodable(address) < kUndecodableShadow) {
    return LeaveReason::NearUndecodable;
  }
  if (!reachable(address)) {
    return LeaveReason::StubOutOfRange;
  }
  return std::nullopt;
}

// The number in %eax at the syscall, when an instruction just before it
// (in the same straight-line run) loads an immediate into %eax/%rax.
std::optional<std::uint32_t>
SitePlanner::syscallNumber(std::size_t index) const {
  const auto &insns = code_.instructions();
  ZydisDecodedInstruction insn;
  ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
  for (std::size_t k = 1; k <= 6 && k <= index; ++k) {
    const Insn &cur = insns[index - k];
    if (cur.address + cur.length != insns[index - k + 1].address ||
        code_.isTarget(insns[index - k + 1].address) ||
        !code_.decode(cur.address, insn, ops)) {
      return std::nullopt;
    }
    if (insn.meta.branch_type != ZYDIS_BRANCH_TYPE_NONE) {
      return std::nullopt;
    }
    for (std::uint8_t o = 0; o < insn.operand_count; ++o) {
      if (ops[o].type == ZYDIS_OPERAND_TYPE_REGISTER &&
          widest(ops[o].reg.value) == ZYDIS_REGISTER_RAX &&
          (ops[o].actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)) {
        if (insn.mnemonic == ZYDIS_MNEMONIC_MOV && o == 0 &&
            insn.operand_count_visible == 2 &&
            ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE) {
          return static_cast<std::uint32_t>(ops[1].imm.value.u);
        }
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

// An instruction can run from a stub when it means the same there: no
// relative branch or other control transfer, no use of %rip other than a
// RIP-relative memory operand (whose displacement is recomputed), and no
// change to %rsp (the transfer must happen with the stack exactly as at
// the site: rt_sigreturn, clone and vfork depend on it). After the
// syscall, %rcx and %r11 hold different values on the direct path than
// after `syscall`, so instructions reading them stay in place.
std::optional<LeaveReason> SitePlanner::movable(std::size_t index,
                                                bool afterSyscall,
                                                MovedInsn &moved) const {
  const Insn &at = code_.instructions()[index];
  ZydisDecodedInstruction insn;
  ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
  if (!code_.decode(at.address, insn, ops) || insn.length != at.length) {
    return LeaveReason::NeighbourUndecodable;
  }
  if (insn.mnemonic == ZYDIS_MNEMONIC_SYSCALL) {
    return LeaveReason::NeighbourIsSyscall;
  }
  // It stays where it is and becomes a trap byte (halt_planner.hpp).
  if (insn.mnemonic == ZYDIS_MNEMONIC_HLT) {
    return LeaveReason::NeighbourIsHalt;
  }
  // An indirect-branch landing pad must stay where indirect branches land
  // (IBT, which applies to code running at CPL 0 when the kernel uses it).
  if (insn.mnemonic == ZYDIS_MNEMONIC_ENDBR64 ||
      insn.mnemonic == ZYDIS_MNEMONIC_ENDBR32) {
    return LeaveReason::NeighbourIsLandingPad;
  }
  switch (insn.meta.category) {
  case ZYDIS_CATEGORY_CALL:
  case ZYDIS_CATEGORY_COND_BR:
  case ZYDIS_CATEGORY_UNCOND_BR:
  case ZYDIS_CATEGORY_RET:
  case ZYDIS_CATEGORY_INTERRUPT:
  case ZYDIS_CATEGORY_SYSCALL:
  case ZYDIS_CATEGORY_SYSRET:
  case ZYDIS_CATEGORY_SYSTEM:
    return LeaveReason::NeighbourIsControlTransfer;
  default:
    break;
  }
  if (insn.meta.branch_type != ZYDIS_BRANCH_TYPE_NONE ||
      insn.raw.imm[0].is_relative || insn.raw.imm[1].is_relative) {
    return LeaveReason::NeighbourIsRelativeBranch;
  }
  for (std::uint8_t o = 0; o < insn.operand_count; ++o) {
    const ZydisDecodedOperand &op = ops[o];
    if (op.type == ZYDIS_OPERAND_TYPE_REGISTER) {
      const ZydisRegister reg = widest(op.reg.value);
      if (reg == ZYDIS_REGISTER_RSP &&
          (op.actions & ZYDIS_OPERAND_ACTION_MASK_WRITE)) {
        return LeaveReason::NeighbourChangesStack;
      }
      if (reg == ZYDIS_REGISTER_RIP) {
        return LeaveReason::NeighbourUsesRip;
      }
      if (afterSyscall &&
          (reg == ZYDIS_REGISTER_RCX || reg == ZYDIS_REGISTER_R11) &&
          (op.actions & ZYDIS_OPERAND_ACTION_MASK_READ)) {
        return LeaveReason::NeighbourReadsSyscallOutputs;
      }
    } else if (op.type == ZYDIS_OPERAND_TYPE_MEMORY) {
      const ZydisRegister base = widest(op.mem.base);
      const ZydisRegister idx = widest(op.mem.index);
      if (afterSyscall &&
          (base == ZYDIS_REGISTER_RCX || base == ZYDIS_REGISTER_R11 ||
           idx == ZYDIS_REGISTER_RCX || idx == ZYDIS_REGISTER_R11)) {
        return LeaveReason::NeighbourReadsSyscallOutputs;
      }
      if (op.mem.base == ZYDIS_REGISTER_RIP) {
        if (insn.raw.disp.size != 32) {
          return LeaveReason::NeighbourHasUnusualRipOperand;
        }
        moved.ripDispOffset = insn.raw.disp.offset;
      }
    }
  }
  const auto bytes = elf_.at(at.address, at.length);
  if (!bytes) {
    return LeaveReason::NeighbourUndecodable;
  }
  moved.address = at.address;
  moved.bytes.assign(bytes->begin(), bytes->end());
  if (moved.ripDispOffset) {
    const std::uint64_t target =
        at.address + at.length +
        static_cast<std::uint64_t>(insn.raw.disp.value);
    if (!reachable(target)) {
      return LeaveReason::RipOperandOutOfReach;
    }
  }
  return std::nullopt;
}

// Tries the smallest sets of neighbours first, preferring instructions
// before the syscall (the `mov $nr,%eax` of libc wrappers).
PlannedSite SitePlanner::plan(std::size_t index) {
  const auto &insns = code_.instructions();
  const Insn &site = insns[index];
  PlannedSite result;
  SiteOutcome &out = result.outcome;
  out.address = site.address;
  out.symbol = elf_.describe(site.address);
  out.number = syscallNumber(index);
  if (auto reason = specialCase(site.address, out.number)) {
    out.reason = *reason;
    return result;
  }

  std::optional<LeaveReason> firstReason;
  for (int total = 1; total <= 2 * kMaxNeighbours; ++total) {
    for (int pre = std::min(total, kMaxNeighbours); pre >= 0; --pre) {
      const int post = total - pre;
      if (post > kMaxNeighbours || static_cast<std::size_t>(pre) > index ||
          index + post >= insns.size()) {
        continue;
      }
      const std::size_t first = index - pre;
      const std::size_t last = index + post;
      bool contiguous = true;
      for (std::size_t k = first; k < last; ++k) {
        contiguous &=
            insns[k].address + insns[k].length == insns[k + 1].address;
      }
      const std::uint64_t start = insns[first].address;
      const std::uint64_t end = insns[last].address + insns[last].length;
      if (!contiguous || end - start < kJmpLength) {
        continue;
      }
      // This set is big enough: it is used unless something forbids it.
      auto reject = [&](LeaveReason why) {
        if (!firstReason) {
          firstReason = why;
        }
      };
      if (start < claimedEnd_) {
        reject(LeaveReason::OverlapsPreviousSite);
        continue;
      }
      if (code_.targetInside(start, end)) {
        reject(LeaveReason::BranchTargetInside);
        continue;
      }
      if (elf_.relocatedInside(start, end)) {
        reject(LeaveReason::RelocatedAtLoad);
        continue;
      }
      SitePlan plan{start, end, site.address, {}, {}};
      std::optional<LeaveReason> why;
      for (std::size_t k = first; k <= last && !why; ++k) {
        if (k == index) {
          continue;
        }
        MovedInsn moved;
        why = movable(k, k > index, moved);
        (k < index ? plan.before : plan.after).push_back(std::move(moved));
      }
      if (why) {
        reject(*why);
        continue;
      }
      out.rewritten = true;
      out.rangeStart = start;
      out.rangeEnd = end;
      result.plan = std::move(plan);
      return result;
    }
  }
  out.reason = firstReason.value_or(LeaveReason::NotEnoughMovableBytes);
  return result;
}

} // namespace kml::rewrite
