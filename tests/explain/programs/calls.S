/* kml explain's fixture (no libc): one site of each kind it explains.
 * say: write(1, msg, 3), `mov $1,%eax` moved into the stub (direct).
 * parent: getppid, which the bypass answers when the marker asks.
 * endbr_call: an endbr64 before and a ret after the syscall: the rewriter
 * leaves it (slow), and %eax is set by the caller (set at run time).
 * _start's last site: exit(0). */
	.text
	.globl _start
	.type _start, @function
_start:
	mov	$1, %edi
	lea	msg(%rip), %rsi
	mov	$msglen, %edx
	call	say
	call	parent
	mov	$39, %eax
	call	endbr_call
	xor	%edi, %edi
	mov	$60, %eax
	syscall
	.size _start, .-_start

	.globl say
	.type say, @function
say:
	mov	$1, %eax
	syscall
	ret
	.size say, .-say

	.globl parent
	.type parent, @function
parent:
	mov	$110, %eax
	syscall
	ret
	.size parent, .-parent

	.globl endbr_call
	.type endbr_call, @function
endbr_call:
	endbr64
	syscall
	ret
	.size endbr_call, .-endbr_call

	.section .rodata
msg:
	.ascii "hi\n"
	.set msglen, . - msg

	.section .note.GNU-stack, "", @progbits
