/*
 * A stand-in for the kernel's direct entry at CPL 3, for the library
 * finder's test (finder_probe.c): jumped to by a rewritten libc's stub
 * with a system call's registers and the return address in %rcx, as the
 * kernel's is. Flag-free (lea, mov, jrcxz, jmp), thread-safe (a return
 * stack in local-exec TLS) and signal-safe. The first call after each
 * completed one is bounced to the return address minus 2, as the kernel
 * does to restart a call, so the stubs' restart path runs too. clone,
 * vfork and clone3 return twice, on two stacks: they are made directly.
 */
	.section .tbss,"awT",@nobits
	.align 8
probe_top:	.zero 8
probe_bounced:	.zero 8
probe_stack:	.zero 8*512
	.data
	.globl probe_calls
probe_calls:	.quad 0
probe_clone_ret: .quad 0
	.text
	.globl probe_entry
	.type probe_entry,@function
probe_entry:
	mov	%rcx, %r11
	mov	%fs:probe_bounced@tpoff, %rcx
	jrcxz	1f
	movq	$0, %fs:probe_bounced@tpoff
	mov	probe_calls(%rip), %rcx
	lea	1(%rcx), %rcx
	mov	%rcx, probe_calls(%rip)
	lea	-56(%rax), %rcx		/* clone */
	jrcxz	2f
	lea	-435(%rax), %rcx	/* clone3 */
	jrcxz	2f
	lea	-58(%rax), %rcx		/* vfork */
	jrcxz	2f
	mov	%fs:probe_top@tpoff, %rcx
	lea	8(%rcx), %rcx
	mov	%rcx, %fs:probe_top@tpoff
	mov	%r11, %fs:probe_stack@tpoff-8(%rcx)
	syscall
	mov	%fs:probe_top@tpoff, %rcx
	mov	%fs:probe_stack@tpoff-8(%rcx), %r11
	lea	-8(%rcx), %rcx
	mov	%rcx, %fs:probe_top@tpoff
	jmp	*%r11
1:	movq	$1, %fs:probe_bounced@tpoff
	lea	-2(%r11), %rcx
	jmp	*%rcx
2:	mov	%r11, probe_clone_ret(%rip)
	syscall
	mov	probe_clone_ret(%rip), %rcx
	jmp	*%rcx
	.size probe_entry, .-probe_entry
	.section .note.GNU-stack,"",@progbits
