/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kml_abi.h - the direct system-call entry of Kernel Mode Linux: how a
 * program running at CPL 0 finds it and how it is entered.
 *
 * The kml patch series adds it to the kernel's UAPI (include/uapi/linux),
 * where the kernel and kml.ko find it; the userspace rewriter (`kml
 * rewrite`, syscall-shim/) and kml's tests include an identical copy,
 * which the kernel build checks. It holds only C. docs/syscall-shim.md
 * explains the design.
 *
 * Finding the entry: when a marked program starts at CPL 0, the kernel
 * adds the auxiliary vector entry AT_KML_ENTRY whose value is the address
 * of the direct-call entry. A program at CPL 3, or any program on a kernel
 * without kml, has no such entry and must use the `syscall` instruction.
 *
 * Calling convention of the entry (jump, never call: nothing may be pushed
 * below the application's %rsp, whose red zone may hold live data):
 *
 *   %rax            system call number
 *   %rdi %rsi %rdx  arguments 1-3, exactly as for `syscall`
 *   %r10 %r8 %r9    arguments 4-6, exactly as for `syscall`
 *   %rcx            the return address
 *
 * The kernel returns by jumping to %rcx with the result in %rax. It
 * preserves every register except %rax, %rcx and %r11 (what `syscall`
 * promises) and leaves the stack and everything below %rsp untouched.
 *
 * Restart: to restart a system call, the kernel resumes at the return
 * address minus 2 with %rax set to the system call number again. The two
 * bytes before every return address are therefore an instruction that
 * redoes the transfer (the rewriter puts a short `jmp` back to the stub's
 * transfer sequence there, which reloads %rcx and jumps to the entry).
 */
#ifndef _UAPI_LINUX_KML_ABI_H
#define _UAPI_LINUX_KML_ABI_H

/* Auxiliary vector type: the address of the direct system-call entry. */
#define AT_KML_ENTRY 0x4b4d

/* Bytes the kernel steps back from the return address to restart. */
#define KML_ENTRY_RESTART_REWIND 2

#endif /* _UAPI_LINUX_KML_ABI_H */
