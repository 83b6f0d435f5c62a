// SPDX-License-Identifier: GPL-2.0
/*
 * x86_cpl_probe: prints the code selector its own code runs with, that
 * selector's privilege level, and whether the kernel gave it the direct
 * system call entry (AT_KML_ENTRY, only offered to a program started at
 * CPL 0). Built, marked and rewritten like the selftests, so that
 * x86_selftests_test can check that each form runs where it should
 * before it compares anything.
 */
#include <stdio.h>
#include <sys/auxv.h>

#include <linux/kml_abi.h>

int main(void)
{
	unsigned short cs;

	asm volatile("mov %%cs, %0" : "=r" (cs));
	printf("cs=%#x cpl=%u direct_entry=%s\n", cs, cs & 3,
	       getauxval(AT_KML_ENTRY) ? "yes" : "no");
	return 0;
}
