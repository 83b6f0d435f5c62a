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
#include <unistd.h>

#include "kselftest_harness.h"
#include "kml_vmtest.h"

#ifndef KML_EXPECTED_VERSION
#error "build with -DKML_EXPECTED_VERSION=\"x.y.z\" (the top-level VERSION)"
#endif

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

FIXTURE(module) {};

FIXTURE_SETUP(module)
{
	/* Every case starts with the module unloaded, whatever came before. */
	int ret = kml_unload();

	ASSERT_TRUE(ret == 0 || ret == -ENOENT) TH_LOG("unload: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(module)
{
	kml_unload();
}

TEST_F(module, loads_and_publishes_sysfs_dir)
{
	ASSERT_EQ(0, kml_load());
	EXPECT_TRUE(exists(KML_SYSFS));
	EXPECT_TRUE(kml_listed());
}

TEST_F(module, version_reads_back)
{
	char buf[64];

	ASSERT_EQ(0, kml_load());
	ASSERT_LT(0, kml_read_text(KML_SYSFS "/version", buf, sizeof(buf)));
	EXPECT_STREQ(KML_EXPECTED_VERSION "\n", buf);
}

TEST_F(module, hook_abi_reads_back)
{
	char buf[16];

	ASSERT_EQ(0, kml_load());
	ASSERT_LT(0, kml_read_text(KML_SYSFS "/abi", buf, sizeof(buf)));
	EXPECT_STREQ("6\n", buf);
}

TEST_F(module, version_is_read_only)
{
	int fd;

	ASSERT_EQ(0, kml_load());
	/* Even root cannot open an attribute without a store method. */
	fd = open(KML_SYSFS "/version", O_WRONLY | O_CLOEXEC);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EACCES, errno);
	if (fd >= 0)
		close(fd);
}

TEST_F(module, unloads_and_removes_sysfs_dir)
{
	ASSERT_EQ(0, kml_load());
	ASSERT_EQ(0, kml_unload());
	EXPECT_FALSE(exists(KML_SYSFS));
	EXPECT_FALSE(kml_listed());
}

TEST_F(module, second_load_is_eexist)
{
	ASSERT_EQ(0, kml_load());
	EXPECT_EQ(-EEXIST, kml_load());
	/* The refused load must not have disturbed the loaded module. */
	EXPECT_TRUE(exists(KML_SYSFS "/version"));
}

TEST_F(module, unload_when_not_loaded_is_enoent)
{
	EXPECT_EQ(-ENOENT, kml_unload());
}

TEST_F(module, load_unload_loop_leaves_nothing)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, kml_load()) TH_LOG("load %d", i);
		ASSERT_EQ(0, kml_unload()) TH_LOG("unload %d", i);
	}
	EXPECT_FALSE(exists(KML_SYSFS));
	EXPECT_FALSE(kml_listed());
}

TEST_HARNESS_MAIN
