/* Call-frame information with every kind of row change the rewriter's
 * frame reader (syscall-shim/src/frame_info.cpp) replays: a prologue that
 * moves the CFA and saves a register, remember/restore_state around an
 * early return, and a label at each row. No libc; _start has no FDE. */
	.text
	.globl _start
_start:
	call	frame_probe
	mov	$60, %eax
	xor	%edi, %edi
	syscall

	.globl frame_probe
	.type	frame_probe, @function
frame_probe:
	.cfi_startproc
	push	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	mov	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	.globl frame_body
frame_body:
	mov	$39, %eax
	syscall
	test	%eax, %eax
	jz	1f
	.cfi_remember_state
	pop	%rbp
	.cfi_def_cfa %rsp, 8
	.globl frame_early_return
frame_early_return:
	ret
1:
	.cfi_restore_state
	.globl frame_restored
frame_restored:
	mov	$39, %eax
	syscall
	pop	%rbp
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
	.size	frame_probe, .-frame_probe
	.section .note.GNU-stack,"",@progbits
