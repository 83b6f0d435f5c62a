// SPDX-License-Identifier: GPL-2.0
/*
 * calls [N]: makes N getppid system calls (default 1000), each through
 * glibc's getppid(), a syscall instruction in the program's own code: the
 * site `kml rewrite` turns into a direct call into the kernel.
 * (docs/tutorial.md, step 5)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	long same = 0;
	pid_t parent = getppid();

	for (long i = 0; i < n; i++)
		same += getppid() == parent;
	printf("%ld getppid calls, %ld answers alike\n", n, same);
	return same == n ? 0 : 1;
}
