#include "stub_writer.hpp"

#include <linux/kml_abi.h>

#include <cstring>

namespace kml::rewrite {
namespace {

// Copies an instruction to out.here(), recomputing a RIP-relative
// displacement so that it names the same address from the new place.
void writeMoved(CodeWriter &out, const MovedInsn &insn) {
  std::vector<std::byte> bytes = insn.bytes;
  if (insn.ripDispOffset) {
    std::int32_t disp;
    std::memcpy(&disp, bytes.data() + *insn.ripDispOffset, 4);
    const std::uint64_t target =
        insn.address + bytes.size() + static_cast<std::int64_t>(disp);
    const auto moved =
        static_cast<std::int64_t>(target - (out.here() + bytes.size()));
    if (moved < INT32_MIN || moved > INT32_MAX) {
      throw std::range_error("moved RIP-relative operand out of range");
    }
    const auto value = static_cast<std::int32_t>(moved);
    std::memcpy(bytes.data() + *insn.ripDispOffset, &value, 4);
  }
  out.emit(bytes);
}

} // namespace

// Runs once, before the program's own entry, single-threaded. At entry
// %rsp points at argc, then argv[], NULL, envp[], NULL, the auxv pairs
// ending with AT_NULL. Startup code reads %rsp and %rdx (the rtld fini
// pointer, 0 for a static program) and nothing may rely on any other
// register, but all of them are kept anyway: the three this code uses are
// saved in the writable segment. The arithmetic flags change (the ABI
// leaves them undefined at entry); DF stays clear. No pushf/popf: popf at
// CPL 0 can change IF, and the binary validator rightly refuses it.
void writePrologue(CodeWriter &out, const SlotLayout &slots,
                   std::span<const MovedInsn> displaced, std::uint64_t resume,
                   std::optional<std::uint64_t> fallback) {
  const std::uint64_t save = slots.saveArea;
  out.emit({0x48, 0x89, 0x05}); // mov %rax, save+0(%rip)
  out.rel32(save);
  out.emit({0x48, 0x89, 0x0d}); // mov %rcx, save+8(%rip)
  out.rel32(save + 8);
  out.emit({0x48, 0x89, 0x35}); // mov %rsi, save+16(%rip)
  out.rel32(save + 16);
  out.emit({0x48, 0x8b, 0x0c, 0x24});       // mov (%rsp),%rcx: argc
  out.emit({0x48, 0x8d, 0x74, 0xcc, 0x10}); // lea 16(%rsp,%rcx,8),%rsi: envp
  const std::uint64_t envLoop = out.here();
  out.emit({0x48, 0x8b, 0x06});       // mov (%rsi),%rax
  out.emit({0x48, 0x83, 0xc6, 0x08}); // add $8,%rsi
  out.emit({0x48, 0x85, 0xc0});       // test %rax,%rax
  out.emit({0x75});                   // jnz envLoop
  out.rel8(envLoop);
  const std::uint64_t auxLoop = out.here(); // %rsi: the next auxv pair
  out.emit({0x48, 0x8b, 0x06});             // mov (%rsi),%rax
  out.emit({0x48, 0x85, 0xc0});             // test %rax,%rax
  out.emit({0x74, 0x00});                   // jz none
  const std::uint64_t jzNone = out.here() - 1;
  out.emit({0x48, 0x3d}); // cmp $AT_KML_ENTRY,%rax
  out.le32(AT_KML_ENTRY);
  out.emit({0x74, 0x00}); // je found
  const std::uint64_t jeFound = out.here() - 1;
  out.emit({0x48, 0x83, 0xc6, 0x10}); // add $16,%rsi
  out.emit({0xeb});                   // jmp auxLoop
  out.rel8(auxLoop);
  out.patch8(jeFound, static_cast<std::uint8_t>(out.here() - (jeFound + 1)));
  out.emit({0x48, 0x8b, 0x46, 0x08}); // found: mov 8(%rsi),%rax
  out.emit({0xeb, 0x00});             // jmp store
  const std::uint64_t jmpStore = out.here() - 1;
  out.patch8(jzNone, static_cast<std::uint8_t>(out.here() - (jzNone + 1)));
  if (fallback) {
    out.emit({0x48, 0x8d, 0x05}); // none: lea stash(%rip),%rax
    out.rel32(slots.stash);
    out.emit({0x48, 0x89, 0x05}); // mov %rax, stashTop(%rip)
    out.rel32(slots.stashTop);
    out.emit({0x48, 0x8d, 0x05}); // lea fallback(%rip),%rax
    out.rel32(*fallback);
  } else {
    out.emit({0x31, 0xc0}); // none: xor %eax,%eax
  }
  out.patch8(jmpStore, static_cast<std::uint8_t>(out.here() - (jmpStore + 1)));
  out.emit({0x48, 0x89, 0x05}); // store: mov %rax, slot(%rip)
  out.rel32(slots.entrySlot);
  out.emit({0x48, 0x8b, 0x05}); // mov save+0(%rip),%rax
  out.rel32(save);
  out.emit({0x48, 0x8b, 0x0d}); // mov save+8(%rip),%rcx
  out.rel32(save + 8);
  out.emit({0x48, 0x8b, 0x35}); // mov save+16(%rip),%rsi
  out.rel32(save + 16);
  for (const MovedInsn &insn : displaced) {
    writeMoved(out, insn);
  }
  out.emit({0xe9}); // jmp resume
  out.rel32(resume);
}

// Flag-free throughout: only mov, lea, push, pop, jrcxz, jmp and ret, so
// that the flags need no saving (pushf/popf would be refused at CPL 0).
// Comparing the auxv type with AT_KML_ENTRY is `lea -AT_KML_ENTRY(%rcx)`
// and jrcxz. It is called and returns: an indirect jmp back would need an
// endbr64 at its target under kernel IBT, a ret needs none.
std::uint64_t writeFinder(CodeWriter &out, const SlotLayout &slots,
                          std::uint64_t stackEndGot) {
  out.alignTo(16);
  const std::uint64_t finder = out.here();
  out.emit({0x50});             // push %rax
  out.emit({0x56});             // push %rsi
  out.emit({0x48, 0x8b, 0x35}); // mov got(%rip),%rsi
  out.rel32(stackEndGot);
  out.emit({0x48, 0x8b, 0x0e}); // mov (%rsi),%rcx: __libc_stack_end
  out.emit({0xe3, 0x00});       // jrcxz none: never set
  const std::uint64_t jrcxzUnset = out.here() - 1;
  out.emit({0x48, 0x89, 0xce});             // mov %rcx,%rsi: &argc
  out.emit({0x48, 0x8b, 0x0e});             // mov (%rsi),%rcx: argc
  out.emit({0x48, 0x8d, 0x74, 0xce, 0x10}); // lea 16(%rsi,%rcx,8),%rsi: envp
  const std::uint64_t envLoop = out.here();
  out.emit({0x48, 0x8b, 0x0e});       // mov (%rsi),%rcx
  out.emit({0x48, 0x8d, 0x76, 0x08}); // lea 8(%rsi),%rsi
  out.emit({0xe3, 0x02});             // jrcxz auxLoop (over the jmp)
  out.emit({0xeb});                   // jmp envLoop
  out.rel8(envLoop);
  const std::uint64_t auxLoop = out.here(); // %rsi: the next auxv pair
  out.emit({0x48, 0x8b, 0x0e});             // mov (%rsi),%rcx
  out.emit({0xe3, 0x00});                   // jrcxz none: AT_NULL
  const std::uint64_t jrcxzEnd = out.here() - 1;
  out.emit({0x48, 0x8d, 0x89}); // lea -AT_KML_ENTRY(%rcx),%rcx
  out.le32(
      static_cast<std::uint32_t>(-static_cast<std::int32_t>(AT_KML_ENTRY)));
  out.emit({0xe3, 0x00}); // jrcxz found
  const std::uint64_t jrcxzFound = out.here() - 1;
  out.emit({0x48, 0x8d, 0x76, 0x10}); // lea 16(%rsi),%rsi
  out.emit({0xeb});                   // jmp auxLoop
  out.rel8(auxLoop);
  out.patch8(jrcxzFound,
             static_cast<std::uint8_t>(out.here() - (jrcxzFound + 1)));
  out.emit({0x48, 0x8b, 0x46, 0x08}); // found: mov 8(%rsi),%rax
  out.emit({0x48, 0x89, 0x05});       // mov %rax,slot(%rip)
  out.rel32(slots.entrySlot);
  out.patch8(jrcxzUnset,
             static_cast<std::uint8_t>(out.here() - (jrcxzUnset + 1)));
  out.patch8(jrcxzEnd, static_cast<std::uint8_t>(out.here() - (jrcxzEnd + 1)));
  out.emit({0x48, 0xc7, 0x05}); // none: movq $1,looked(%rip)
  out.rel32(slots.looked, 4);
  out.le32(1);
  out.emit({0x5e}); // pop %rsi
  out.emit({0x58}); // pop %rax
  out.emit({0xc3}); // ret
  return finder;
}

// Layout (T: transfer, R: return address, N: native path):
//
//        <instructions moved from before the syscall>
//   T:   mov   slot(%rip),%rcx      ; the entry, or 0
//        jrcxz N                    ; no entry: plain syscall
//        lea   R(%rip),%rcx         ; return address for the kernel
//        jmp   *slot(%rip)          ; enter the kernel
//   jmp   T                    ; restart: kernel resumes at R-2
//   R:   <instructions moved from after the syscall>
//        jmp   site_end
//   N:   syscall                    ; restart rewinds to N itself
//        jmp   R (or site_end when nothing follows)
//
// A library's stubs (with a finder) go to L instead of N when the slot is
// empty, and look for the entry once:
//
//   L:   mov   looked(%rip),%rcx    ; 1 once the finder has run
//        jrcxz F
//   N:   syscall ...
//   F:   lea   -128(%rsp),%rsp      ; over the red zone
//        call  finder               ; fills the slot
//        lea   128(%rsp),%rsp
//        jmp   T
//
// Nothing touches the stack or the flags, so the red zone survives, a
// clone or vfork child can return through R on its own stack, and
// rt_sigreturn sees the stack exactly as at the site.
std::uint64_t writeStub(CodeWriter &out, const SlotLayout &slots,
                        const SitePlan &plan,
                        std::optional<std::uint64_t> finder) {
  out.alignTo(16);
  const std::uint64_t stub = out.here();
  for (const MovedInsn &insn : plan.before) {
    writeMoved(out, insn);
  }
  std::uint64_t afterLength = 0;
  for (const MovedInsn &insn : plan.after) {
    afterLength += insn.bytes.size();
  }
  const std::uint64_t transfer = out.here();
  const std::uint64_t ret = transfer + 24;
  // With a finder, L (9 bytes) comes before N: see writeStub's header.
  const std::uint64_t lookup = ret + afterLength + 5;
  const std::uint64_t native = finder ? lookup + 9 : lookup;
  out.emit({0x48, 0x8b, 0x0d}); // mov slot(%rip),%rcx
  out.rel32(slots.entrySlot);
  out.emit({0xe3}); // jrcxz native (or lookup)
  out.rel8(lookup);
  out.emit({0x48, 0x8d, 0x0d}); // lea R(%rip),%rcx
  out.rel32(ret);
  out.emit({0xff, 0x25}); // jmp *slot(%rip)
  out.rel32(slots.entrySlot);
  out.emit({0xeb}); // jmp T (restart)
  out.rel8(transfer);
  if (out.here() != ret) {
    throw std::logic_error("stub layout: return address moved");
  }
  static_assert(KML_ENTRY_RESTART_REWIND == 2);
  for (const MovedInsn &insn : plan.after) {
    writeMoved(out, insn);
  }
  out.emit({0xe9}); // jmp site_end
  out.rel32(plan.end);
  std::uint64_t jrcxzFind = 0;
  if (finder) {
    out.emit({0x48, 0x8b, 0x0d}); // L: mov looked(%rip),%rcx
    out.rel32(slots.looked);
    out.emit({0xe3, 0x00}); // jrcxz F: not looked yet
    jrcxzFind = out.here() - 1;
  }
  if (out.here() != native) {
    throw std::logic_error("stub layout: native path moved");
  }
  out.emit({0x0f, 0x05}); // N: syscall
  if (plan.after.empty()) {
    out.emit({0xe9}); // jmp site_end
    out.rel32(plan.end);
  } else {
    out.emit({0xeb}); // jmp R
    out.rel8(ret);
  }
  if (finder) {
    out.patch8(jrcxzFind,
               static_cast<std::uint8_t>(out.here() - (jrcxzFind + 1)));
    out.emit({0x48, 0x8d, 0x64, 0x24, 0x80}); // F: lea -128(%rsp),%rsp
    out.emit({0xe8});                         // call finder
    out.rel32(*finder);
    out.emit({0x48, 0x8d, 0xa4, 0x24}); // lea 128(%rsp),%rsp: the red zone
    out.le32(128);
    out.emit({0xe9}); // jmp T: the slot again
    out.rel32(transfer);
  }
  return stub;
}

// See the header. Flags are left alone (mov, lea, jrcxz and jmp only), as
// `syscall` leaves them.
std::uint64_t writeTestEntry(CodeWriter &out, const SlotLayout &slots) {
  out.alignTo(16);
  const std::uint64_t entry = out.here();
  out.emit({0x49, 0x89, 0xcb}); // mov %rcx,%r11: the return address
  out.emit({0x48, 0x8b, 0x0d}); // mov restartFlag(%rip),%rcx
  out.rel32(slots.restartFlag);
  out.emit({0xe3, 0x00}); // jrcxz bounce
  const std::uint64_t jrcxzBounce = out.here() - 1;
  out.emit({0x48, 0xc7, 0x05}); // movq $0,restartFlag(%rip)
  out.rel32(slots.restartFlag, 4);
  out.le32(0);
  out.emit({0x4c, 0x89, 0xd9}); // mov %r11,%rcx
  out.emit({0x4c, 0x8b, 0x1d}); // mov stashTop(%rip),%r11
  out.rel32(slots.stashTop);
  out.emit({0x4d, 0x8d, 0x5b, 0x08}); // lea 8(%r11),%r11
  out.emit({0x4c, 0x89, 0x1d});       // mov %r11,stashTop(%rip)
  out.rel32(slots.stashTop);
  out.emit({0x49, 0x89, 0x4b, 0xf8}); // mov %rcx,-8(%r11)
  out.emit({0x0f, 0x05});             // syscall
  out.emit({0x4c, 0x8b, 0x1d});       // mov stashTop(%rip),%r11
  out.rel32(slots.stashTop);
  out.emit({0x49, 0x8b, 0x4b, 0xf8}); // mov -8(%r11),%rcx
  out.emit({0x4d, 0x8d, 0x5b, 0xf8}); // lea -8(%r11),%r11
  out.emit({0x4c, 0x89, 0x1d});       // mov %r11,stashTop(%rip)
  out.rel32(slots.stashTop);
  out.emit({0xff, 0xe1}); // jmp *%rcx
  out.patch8(jrcxzBounce,
             static_cast<std::uint8_t>(out.here() - (jrcxzBounce + 1)));
  out.emit({0x48, 0xc7, 0x05}); // bounce: movq $1,restartFlag(%rip)
  out.rel32(slots.restartFlag, 4);
  out.le32(1);
  out.emit({0x49, 0x8d, 0x4b, 0xfe}); // lea -2(%r11),%rcx
  out.emit({0xff, 0xe1});             // jmp *%rcx: "restart"
  return entry;
}

std::vector<std::byte> siteJump(const SitePlan &plan, std::uint64_t stub) {
  CodeWriter out(plan.start);
  out.emit({0xe9});
  out.rel32(stub);
  while (out.here() < plan.end) {
    out.emit({0x90});
  }
  return out.bytes();
}

} // namespace kml::rewrite
