/* Hand-made site classes for the rewriter tests, no libc. Each block is
 * one class; the tests look the sites up by their labels (symbols).
 * Exit status 0 means every check in here passed. */
	.text
	.globl _start
_start:
	/* mov $imm32,%eax + syscall: write(1, msg, len) */
	mov	$1, %edi
	lea	msg(%rip), %rsi
	mov	$msglen, %edx
	.globl site_mov
site_mov:
	mov	$1, %eax
	syscall

	/* other instructions before: a RIP-relative load and a reg move */
	lea	msg(%rip), %rsi
	mov	$1, %edi
	mov	$msglen, %edx
	mov	nr_write(%rip), %r12
	.globl site_other
site_other:
	mov	%r12, %rax
	syscall
	cmp	$msglen, %rax
	jne	fail

	/* only instructions after the syscall can move */
	mov	$39, %eax
	call	getpid_after
	test	%eax, %eax
	jle	fail

	/* a branch target inside the replaced range: left alone */
	mov	$0, %ebx
	.globl site_target
site_target:
	mov	$39, %eax
1:	syscall
	jmp	2f
	.globl jump_into
jump_into:
	jmp	1b
2:	inc	%ebx
	cmp	$2, %ebx
	je	3f
	mov	$39, %eax
	jmp	jump_into
3:
	/* `syscall` bytes inside an immediate and in data: not sites */
	.globl imm_0f05
imm_0f05:
	mov	$0x050f, %eax
	mov	data_0f05(%rip), %ax
	/* nor are `hlt` bytes inside an immediate */
	.globl imm_f4
imm_f4:
	mov	$0xf4f4f4f4, %ecx

	/* red-zone data live at the site survives */
	movabs	$0x1122334455667788, %rax
	mov	%rax, -8(%rsp)
	mov	%rax, -128(%rsp)
	.globl site_redzone
site_redzone:
	mov	$39, %eax
	syscall
	movabs	$0x1122334455667788, %rax
	cmp	%rax, -8(%rsp)
	jne	fail
	cmp	%rax, -128(%rsp)
	jne	fail

	/* registers other than rax, rcx, r11 survive, flags too */
	mov	$0x1111, %rbx
	mov	$0x2222, %rdx
	mov	$0x3333, %rsi
	mov	$0x4444, %rdi
	mov	$0x5555, %r8
	mov	$0x6666, %r9
	mov	$0x7777, %r10
	mov	$0x8888, %r12
	stc
	.globl site_regs
site_regs:
	mov	$39, %eax
	syscall
	jnc	fail
	cmp	$0x1111, %rbx
	jne	fail
	cmp	$0x2222, %rdx
	jne	fail
	cmp	$0x3333, %rsi
	jne	fail
	cmp	$0x4444, %rdi
	jne	fail
	cmp	$0x5555, %r8
	jne	fail
	cmp	$0x6666, %r9
	jne	fail
	cmp	$0x7777, %r10
	jne	fail
	cmp	$0x8888, %r12
	jne	fail

	/* a RIP-relative operand moved into the stub: its displacement is
	 * recomputed, or %eax would not be getpid's number */
	.globl site_riprel
site_riprel:
	mov	nr_getpid(%rip), %eax
	syscall
	test	%eax, %eax
	jle	fail

	/* an endbr64 landing pad before the syscall stays where it is */
	mov	$39, %eax
	call	endbr_getpid
	test	%eax, %eax
	jle	fail

	/* exit(0) */
	xor	%edi, %edi
	.globl site_exit
site_exit:
	mov	$60, %eax
	syscall

fail:
	mov	$1, %edi
	mov	$60, %eax
	syscall
	/* libc's way to die if exit returns: never moved into the exit
	 * site's stub, made an int3 in place */
	.globl halt_after_exit
halt_after_exit:
	hlt

	/* a constant table in .text that decodes as mov+syscall: a data
	 * object, never decoded, never touched */
	.globl table_in_text
	.type table_in_text, @object
table_in_text:
	.byte	0xb8, 0x27, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x00
	.size table_in_text, .-table_in_text

	/* a syscall at a function start: nothing before it may move, so
	 * the instructions after it go into the stub */
	.globl getpid_after
	.type getpid_after, @function
getpid_after:
	.globl site_after
site_after:
	syscall
	mov	%eax, %edx
	add	$0, %edx
	mov	%edx, %eax
	ret
	.size getpid_after, .-getpid_after

	.globl endbr_getpid
	.type endbr_getpid, @function
endbr_getpid:
	endbr64
	syscall
	ret
	.size endbr_getpid, .-endbr_getpid

	/* musl's __stack_chk_fail: a function that is one hlt */
	.globl halt_function
	.type halt_function, @function
halt_function:
	hlt
	ret
	.size halt_function, .-halt_function

	/* unreachable code between sized functions (padding or data that
	 * decodes), with no symbol of its own: found, but left alone */
	hlt
	mov	$39, %eax
	syscall
	.type after_gap, @function
after_gap:
	ret
	.size after_gap, .-after_gap

	/* 0xf4 bytes that are not a hlt control reaches: left alone. Data
	 * kept in a function (at +8) and named by a lea; 80 bytes of nops
	 * keep whatever the data decodes into away from the next case. */
	.globl halt_data
	.type halt_data, @function
halt_data:
	lea	1f(%rip), %rax
	ret
1:	.byte	0xf4, 0x01, 0x02, 0x03
	.fill	80, 1, 0x90
	ret
	.size halt_data, .-halt_data

	/* a hlt after a ret (at +1) that nothing branches to */
	.globl halt_unreached
	.type halt_unreached, @function
halt_unreached:
	ret
	hlt
	ret
	.size halt_unreached, .-halt_unreached

	/* a hlt (at +2) right after a byte that does not decode (push %cs
	 * does not exist in 64-bit mode); last in .text, no site after it */
	.globl halt_undecodable
	.type halt_undecodable, @function
halt_undecodable:
	ret
	.byte	0x0e
	hlt
	ret
	.size halt_undecodable, .-halt_undecodable

	.section .rodata
	.globl data_0f05
data_0f05:
	.byte	0x0f, 0x05, 0x0f, 0x05
nr_write:
	.quad	1
nr_getpid:
	.long	39
msg:
	.ascii	"sites ok\n"
	.set	msglen, . - msg
