/*
 * The shared objects of the approval list tests (CMakeLists.txt builds it
 * three ways): a library, a library with a PT_INTERP as glibc's libc.so.6
 * has one (it runs, to print its version), and a dynamic loader, named
 * by its soname.
 */
#ifdef KML_TEST_INTERP
const char kml_test_interp[] __attribute__((section(".interp"))) =
	"/lib64/ld-linux-x86-64.so.2";
#endif

int kml_test_shared(void);

int kml_test_shared(void)
{
	return 42;
}
