// SPDX-License-Identifier: GPL-2.0
/*
 * privileged: reads control register %cr0, which only ring 0 may do. At
 * ring 3 the CPU refuses the instruction with a general-protection fault,
 * which the kernel turns into SIGSEGV: the program dies before its second
 * line. At ring 0 the read works; reading %cr0 changes nothing, so it is
 * safe to try. (docs/tutorial.md, step 3)
 */
#include <stdio.h>

int main(void)
{
	unsigned short cs;
	unsigned long cr0;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	printf("ring %d: reading %%cr0\n", cs & 3);
	fflush(stdout); /* the next line may never come */
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* Bits every 64-bit kernel sets: the value as a whole varies. */
	printf("%%cr0: PE=%lu (protected mode) WP=%lu (write protect) PG=%lu (paging)\n",
	       cr0 & 1, (cr0 >> 16) & 1, (cr0 >> 31) & 1);
	return 0;
}
