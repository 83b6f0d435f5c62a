/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack-compat32: a static i386 program, no libc, for exec from a ring-0
 * task. Whatever ran before it, it is an ordinary 32-bit process: every
 * %cs it sees must have RPL 3. It prints, one line each,
 *
 *	start cs=0x0023		%cs at the entry point
 *	after int80 cs=0x0023	after int $0x80 (getpid)
 *	long mode cs=0x0033	after ljmp $0x33 into 64-bit code
 *	after syscall cs=0x0033	after a 64-bit `syscall` (getpid)
 *	getpid: same		both gates gave the same pid ("differs" if not)
 *
 * and exits (exit_group, from 64-bit code) with 0 when every %cs had RPL 3
 * and the pids matched, else 1.
 *
 * The line formatting is one macro expanded in both modes; it uses 32-bit
 * registers only, and reaches memory only through a register loaded with
 * an absolute address (an ELF32 object cannot hold the sign-extended
 * displacements of 64-bit code), which means the same in both modes: the
 * program lives below 2 GiB. It never uses the stack.
 */
	.data
hex:		.ascii "0123456789abcdef"
status:		.long 0
pid32:		.long 0

/* Each line's text; the four zeros are replaced by %cs in hex. */
.macro line label, text
\label:		.ascii "\text"
\label\()_len = . - \label
.endm
	line l_start, "start cs=0x0000\n"
	line l_int80, "after int80 cs=0x0000\n"
	line l_long, "long mode cs=0x0000\n"
	line l_syscall, "after syscall cs=0x0000\n"
	line l_same, "getpid: same\n"
	line l_differs, "getpid: differs\n"

	.text
/*
 * report LABEL MODE: %cs goes into LABEL's four digits, status gets 1 if
 * its RPL is not 3, and the line is written with MODE's write system call
 * (32: int $0x80; 64: syscall). Clobbers %eax, %ebx, %ecx, %edx, %esi,
 * %edi and, in 64-bit mode, %r11.
 */
.macro report label, mode
	mov	%cs, %eax
	mov	%eax, %ebx
	and	$3, %ebx
	cmp	$3, %ebx
	je	.Lrpl3_\@
	bad_status
.Lrpl3_\@:
	mov	$\label + \label\()_len - 5, %esi	/* the first of the four digits */
	mov	$4, %edi
.Ldigit_\@:
	mov	%eax, %edx
	shr	$12, %edx
	and	$15, %edx
	add	$hex, %edx
	movb	(%edx), %cl
	movb	%cl, (%esi)
	shl	$4, %eax
	inc	%esi
	dec	%edi
	jnz	.Ldigit_\@
	say	\label, \label\()_len, \mode
.endm

/* bad_status: status = 1 (clobbers %ebx). */
.macro bad_status
	mov	$status, %ebx
	movl	$1, (%ebx)
.endm

/* say ADDR LEN MODE: write(1, ADDR, LEN). */
.macro say addr, len, mode
.if \mode == 32
	mov	$4, %eax		/* __NR_write, i386 */
	mov	$1, %ebx
	mov	$\addr, %ecx
	mov	$\len, %edx
	int	$0x80
.else
	mov	$1, %eax		/* __NR_write, x86-64 */
	mov	$1, %edi
	mov	$\addr, %esi
	mov	$\len, %edx
	syscall
.endif
.endm

	.code32
	.globl	_start
_start:
	report	l_start, 32
	mov	$20, %eax		/* __NR_getpid, i386 */
	int	$0x80
	mov	$pid32, %ebx
	mov	%eax, (%ebx)
	report	l_int80, 32
	ljmp	$0x33, $long_mode

	.code64
long_mode:
	mov	%esp, %esp		/* the upper half of %rsp is undefined now */
	report	l_long, 64
	mov	$39, %eax		/* __NR_getpid, x86-64 */
	syscall
	mov	%eax, %ebp
	report	l_syscall, 64
	mov	$pid32, %ebx
	cmp	(%ebx), %ebp
	jne	1f
	say	l_same, l_same_len, 64
	jmp	2f
1:	bad_status
	say	l_differs, l_differs_len, 64
2:	mov	$status, %edi
	mov	(%edi), %edi
	mov	$231, %eax		/* __NR_exit_group, x86-64 */
	syscall
	hlt
