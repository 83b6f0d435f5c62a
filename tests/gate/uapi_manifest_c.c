/* clang-format off */
/*
 * linux/kml_manifest.h compiled as C with kernel-like flags (see
 * CMakeLists.txt): kml.ko includes it unchanged, so the reader rules must
 * stay plain C that the kernel's warnings accept. Kernel coding style on
 * purpose.
 */
#include <linux/kml_manifest.h>

int kml_test_approvals_check_in_c(const void *buf, __u64 len);

int kml_test_approvals_check_in_c(const void *buf, __u64 len)
{
	return (int)kml_approvals_check(buf, len);
}
