// parseHostRequest(): what a guest line may make the runner type into the
// QEMU monitor, and what it may not.

#include "host_request.hpp"

#include <gtest/gtest.h>

// A request the tests need is checked with `if (!r) { FAIL(); }`, not
// ASSERT_TRUE(r): clang-tidy 19 does not see that ASSERT_TRUE returns
// (docs/lint.md).

namespace {

using kml::vmrun::parseHostRequest;

TEST(HostRequest, OrdinaryLinesAreNoRequests) {
  EXPECT_FALSE(parseHostRequest("ok 1 kml.loads"));
  EXPECT_FALSE(parseHostRequest("# KML-HOST-REQUEST mce 1 1 0 0 0 0"));
  EXPECT_FALSE(parseHostRequest("KML-HOST-REQUESTmce"));
}

TEST(HostRequest, MachineCheckBecomesTheMonitorsMceCommand) {
  const auto r =
      parseHostRequest("KML-HOST-REQUEST mce 1 1 0xb000000000000000 0x4 0 0");
  if (!r) {
    FAIL() << "not taken for a host request";
  }
  EXPECT_EQ(r->error, "");
  EXPECT_EQ(r->monitorCommand, "mce 1 1 0xb000000000000000 0x4 0 0");
}

TEST(HostRequest, TrailingCarriageReturnFromTheSerialLineIsIgnored) {
  const auto r = parseHostRequest("KML-HOST-REQUEST mce 0 1 0x1 0x4 0 0\r");
  if (!r) {
    FAIL() << "not taken for a host request";
  }
  EXPECT_EQ(r->monitorCommand, "mce 0 1 0x1 0x4 0 0");
}

TEST(HostRequest, UnknownRequestIsRefusedByName) {
  const auto r = parseHostRequest("KML-HOST-REQUEST quit");
  if (!r) {
    FAIL() << "not taken for a host request";
  }
  EXPECT_EQ(r->monitorCommand, "");
  EXPECT_NE(r->error.find("unknown host request 'quit'"), std::string::npos);
}

TEST(HostRequest, EmptyRequestIsRefused) {
  const auto r = parseHostRequest("KML-HOST-REQUEST ");
  if (!r) {
    FAIL() << "not taken for a host request";
  }
  EXPECT_EQ(r->monitorCommand, "");
  EXPECT_NE(r->error.find("empty"), std::string::npos);
}

TEST(HostRequest, WrongArgumentCountIsRefused) {
  const auto r = parseHostRequest("KML-HOST-REQUEST mce 1 1 0x1");
  if (!r) {
    FAIL() << "not taken for a host request";
  }
  EXPECT_EQ(r->monitorCommand, "");
  EXPECT_NE(r->error.find("takes 6 arguments, got 3"), std::string::npos);
}

// A guest must never smuggle a second monitor command or option through an
// argument: only decimal or 0x-hex numbers of at most 64 bits pass.
TEST(HostRequest, NonNumericArgumentsAreRefused) {
  for (const char *bad :
       {"1;quit", "-b", "0x", "0xfffffffffffffffff", "1e3", "0x1g", "$(x)"}) {
    const auto r = parseHostRequest(std::string("KML-HOST-REQUEST mce 1 1 ") +
                                    bad + " 0x4 0 0");
    if (!r) {
      FAIL() << bad << ": not taken for a host request";
    }
    EXPECT_EQ(r->monitorCommand, "") << bad;
    EXPECT_NE(r->error.find("argument 3"), std::string::npos)
        << bad << ": " << r->error;
  }
}

} // namespace
