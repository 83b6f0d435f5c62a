// Approval lists in the kml_gate library: the builder, the reader rule
// kml_approvals_check() (in C++ and as the kernel compiles it, in C), the
// verdicts on a file that the command line cannot produce, and the words
// for the approvals file's errnos that a stand-in cannot produce.

#include "kml/gate/approval_list.hpp"
#include "kml/gate/approvals_sysfs.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/manifest.hpp"
#include "kml/gate/sha256.hpp"

#include <linux/kml_manifest.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

// uapi_manifest_c.c: the header's rule compiled as kernel-style C.
extern "C" int kml_test_approvals_check_in_c(const void *buf, __u64 len);

namespace kml::gate {
namespace {

std::vector<std::byte> bytesOf(std::string_view text) {
  const auto *data = reinterpret_cast<const std::byte *>(text.data());
  return {data, data + text.size()};
}

ListedFile listed(const std::string &name, std::string_view bytes,
                  Role role = Role::Library) {
  return {name, sha256(bytesOf(bytes)), bytes.size(), role};
}

// The manifest of files a, b and c, sorted by the builder.
Manifest threeFiles() {
  ApprovalListBuilder builder;
  builder.add(listed("a", "alpha"));
  builder.add(listed("b", "bravo", Role::Program));
  builder.add(listed("c", "charlie", Role::Interpreter));
  return builder.manifest({});
}

// What the reader rule says about a list's bytes, in C++ and in C, which
// must agree.
kml_manifest_error check(const std::vector<std::byte> &bytes) {
  const kml_manifest_error error =
      kml_approvals_check(bytes.data(), bytes.size());
  EXPECT_EQ(kml_test_approvals_check_in_c(bytes.data(), bytes.size()),
            static_cast<int>(error));
  return error;
}

TEST(ApprovalListBuilder, TheSameBytesAreOneEntryUnderTheFirstName) {
  ApprovalListBuilder builder;
  EXPECT_EQ(builder.add(listed("first", "same")), std::nullopt);
  EXPECT_EQ(builder.add(listed("second", "same")), "first");
  EXPECT_EQ(builder.size(), 1U);
}

TEST(ApprovalListBuilder, TheSameBytesWithAnotherRoleAreRefused) {
  ApprovalListBuilder builder;
  builder.add(listed("libc.so", "musl"));
  EXPECT_THROW(builder.add(listed("ld-musl.so", "musl", Role::Interpreter)),
               GateError);
}

TEST(ApprovalListBuilder, NoFilesMakeNoList) {
  EXPECT_THROW(static_cast<void>(ApprovalListBuilder().manifest({})),
               GateError);
}

TEST(ApprovalListBuilder, EntriesAreSortedByDigest) {
  const Manifest list = threeFiles();
  ASSERT_EQ(list.entries.size(), 3U);
  EXPECT_TRUE(std::ranges::is_sorted(list.entries, {}, &ManifestEntry::digest));
}

TEST(ApprovalsCheck, ASortedListIsWellFormed) {
  EXPECT_EQ(check(encodeManifest(threeFiles())), KML_MANIFEST_OK);
}

TEST(ApprovalsCheck, UnsortedEntriesAreRefused) {
  Manifest list = threeFiles();
  std::swap(list.entries[1], list.entries[2]);
  EXPECT_EQ(check(encodeManifest(list)), KML_MANIFEST_E_ORDER);
}

TEST(ApprovalsCheck, ADigestTwiceIsRefused) {
  Manifest list = threeFiles();
  list.entries[1].digest = list.entries[0].digest;
  EXPECT_EQ(check(encodeManifest(list)), KML_MANIFEST_E_ORDER);
}

TEST(ApprovalsCheck, DigestsDifferingInTheirLastByteAreOrderedByIt) {
  Manifest list = threeFiles();
  list.entries[1].digest = list.entries[0].digest;
  list.entries[1].digest.back() = 0xff;
  list.entries[0].digest.back() = 0x00;
  list.entries.pop_back();
  EXPECT_EQ(check(encodeManifest(list)), KML_MANIFEST_OK);
  std::swap(list.entries[0], list.entries[1]);
  EXPECT_EQ(check(encodeManifest(list)), KML_MANIFEST_E_ORDER);
}

TEST(ApprovalsCheck, TheManifestRuleComesFirst) {
  auto bytes = encodeManifest(threeFiles());
  bytes[0] = std::byte{'k'};
  EXPECT_EQ(check(bytes), KML_MANIFEST_E_MAGIC);
}

TEST(CheckListedFile, ABytesDigestInTheListIsAllowed) {
  const ListedFileReport report =
      checkListedFile(threeFiles(), bytesOf("charlie"), {Assurance::Trusted});
  EXPECT_TRUE(report.verdict.allowed()) << report.verdict.describe();
  if (!report.entry) {
    FAIL() << "no list entry in the report";
  }
  EXPECT_EQ(report.entry->role, Role::Interpreter);
}

TEST(CheckListedFile, AnEntryOfAnotherLengthIsTampered) {
  Manifest list = threeFiles();
  for (ManifestEntry &entry : list.entries) {
    ++entry.length;
  }
  EXPECT_EQ(checkListedFile(list, bytesOf("alpha"), {Assurance::Trusted})
                .verdict.reason(),
            GateReason::TAMPERED);
}

TEST(CheckListedFile, AnEntryWithoutRing0IsNotRing0) {
  Manifest list = threeFiles();
  for (ManifestEntry &entry : list.entries) {
    entry.flags = 0;
  }
  EXPECT_EQ(checkListedFile(list, bytesOf("bravo"), {Assurance::Trusted})
                .verdict.reason(),
            GateReason::NOT_RING0);
}

TEST(ApprovalsErrno, EachErrnoOfTheContractHasItsOwnWords) {
  EXPECT_NE(approvalsErrnoText(EACCES).find("not permitted"),
            std::string::npos);
  EXPECT_EQ(approvalsErrnoText(EPERM), approvalsErrnoText(EACCES));
  EXPECT_NE(approvalsErrnoText(ENOKEY).find("a key the kernel does not trust"),
            std::string::npos);
  EXPECT_NE(approvalsErrnoText(EBADMSG).find("a bad signature, or not an "
                                             "approval list"),
            std::string::npos);
  EXPECT_NE(approvalsErrnoText(EKEYEXPIRED)
                .find("below "
                      "/sys/kernel/kml/min_generation"),
            std::string::npos);
  EXPECT_NE(approvalsErrnoText(EFBIG).find(
                std::to_string(KML_APPROVALS_MAX_LEN) + " bytes"),
            std::string::npos);
  EXPECT_NE(approvalsErrnoText(ENOENT).find("cannot find"), std::string::npos);
  EXPECT_EQ(approvalsErrnoText(ENOSPC), std::strerror(ENOSPC));
}

} // namespace
} // namespace kml::gate
