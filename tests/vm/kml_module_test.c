// SPDX-License-Identifier: GPL-2.0
/*
 * kml.ko's life cycle, in the VM: it loads, publishes /sys/kernel/kml/,
 * reports its version, refuses what a module must refuse, and unloads
 * leaving nothing behind. Any kernel report during these steps fails the
 * run on the host side (kml-vmrun), even when every case here passes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

#ifndef KML_EXPECTED_VERSION
#error "build with -DKML_EXPECTED_VERSION=\"x.y.z\" (the top-level VERSION)"
#endif

#define KML_KO "/kml/kml.ko"
#define KML_SYSFS "/sys/kernel/kml"

static int load_kml(void)
{
	int fd = open(KML_KO, O_RDONLY | O_CLOEXEC);
	int ret, err;

	if (fd < 0)
		return -errno;
	/* The VM's policy for unsigned test programs (docs/gate.md). */
	ret = syscall(SYS_finit_module, fd,
		      getenv("KML_MODULE_PARAMS") ? getenv("KML_MODULE_PARAMS") : "", 0);
	err = errno;
	close(fd);
	return ret ? -err : 0;
}

static int unload_kml(void)
{
	return syscall(SYS_delete_module, "kml", O_NONBLOCK) ? -errno : 0;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Reads a small sysfs file into buf; returns its length or -errno. */
static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

static int module_listed(void)
{
	char buf[16384];
	int n = read_file("/proc/modules", buf, sizeof(buf));

	return n > 0 && (strncmp(buf, "kml ", 4) == 0 || strstr(buf, "\nkml "));
}

FIXTURE(module) {};

FIXTURE_SETUP(module)
{
	/* Every case starts with the module unloaded, whatever came before. */
	int ret = unload_kml();

	ASSERT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("unload: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(module)
{
	unload_kml();
}

TEST_F(module, loads_and_publishes_sysfs_dir)
{
	ASSERT_EQ(0, load_kml());
	EXPECT_TRUE(exists(KML_SYSFS));
	EXPECT_TRUE(module_listed());
}

TEST_F(module, version_reads_back)
{
	char buf[64];

	ASSERT_EQ(0, load_kml());
	ASSERT_LT(0, read_file(KML_SYSFS "/version", buf, sizeof(buf)));
	EXPECT_STREQ(KML_EXPECTED_VERSION "\n", buf);
}

TEST_F(module, hook_abi_reads_back)
{
	char buf[16];

	ASSERT_EQ(0, load_kml());
	ASSERT_LT(0, read_file(KML_SYSFS "/abi", buf, sizeof(buf)));
	EXPECT_STREQ("5\n", buf);
}

TEST_F(module, version_is_read_only)
{
	int fd;

	ASSERT_EQ(0, load_kml());
	/* Even root cannot open an attribute without a store method. */
	fd = open(KML_SYSFS "/version", O_WRONLY | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	if (fd >= 0)
		close(fd);
}

TEST_F(module, unloads_and_removes_sysfs_dir)
{
	ASSERT_EQ(0, load_kml());
	ASSERT_EQ(0, unload_kml());
	EXPECT_FALSE(exists(KML_SYSFS));
	EXPECT_FALSE(module_listed());
}

TEST_F(module, second_load_is_eexist)
{
	ASSERT_EQ(0, load_kml());
	EXPECT_EQ(-EEXIST, load_kml());
	/* The refused load must not have disturbed the loaded module. */
	EXPECT_TRUE(exists(KML_SYSFS "/version"));
}

TEST_F(module, unload_when_not_loaded_is_enoent)
{
	EXPECT_EQ(-ENOENT, unload_kml());
}

TEST_F(module, load_unload_loop_leaves_nothing)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, load_kml()) TH_LOG("load %d", i);
		ASSERT_EQ(0, unload_kml()) TH_LOG("unload %d", i);
	}
	EXPECT_FALSE(exists(KML_SYSFS));
	EXPECT_FALSE(module_listed());
}

TEST_HARNESS_MAIN
