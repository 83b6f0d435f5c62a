/* clang-format off */
/*
 * linux/kml_note.h compiled as C with kernel-like flags (see
 * CMakeLists.txt): kml.ko includes it unchanged, so it must stay plain C
 * that the kernel's warnings accept. Kernel coding style on purpose.
 */
#include <linux/kml_note.h>

int kml_test_decide_in_c(__u32 version, __u32 flags, __u32 descsz);

int kml_test_decide_in_c(__u32 version, __u32 flags, __u32 descsz)
{
	struct kml_note note = { 0 };

	note.version = version;
	note.flags = flags;
	return (int)kml_note_decide(&note, descsz);
}
