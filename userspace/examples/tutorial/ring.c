// SPDX-License-Identifier: GPL-2.0
/*
 * ring: which ring am I in? The CPU keeps the current privilege level
 * (CPL) in the low two bits of the %cs segment register, and any program
 * may read %cs: ring 3 for an ordinary process, ring 0 for a program kml
 * runs in kernel mode. (docs/tutorial.md, step 2)
 */
#include <stdio.h>

int main(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	printf("%%cs = 0x%02x: this program runs at ring %d\n", cs, cs & 3);
	return 0;
}
