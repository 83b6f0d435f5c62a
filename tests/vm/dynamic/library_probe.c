/* A shared library (DT_SONAME, no PT_INTERP) with an entry point and a
 * system call: scripts/dynroot.sh rewrites it (which marks it) and signs
 * it, so kml sign gives it the library role. kml_dynamic_test.c execs it:
 * the kernel must refuse that (a library's signature approves mapping,
 * not starting a program). */
void probe_entry(void)
{
	__asm__ volatile("syscall" : : "a"(60L), "D"(0L) : "rcx", "r11", "memory");
	for (;;)
		;
}
