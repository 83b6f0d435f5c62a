// Parsing /sys/kernel/kml/programs: the lines kml.ko writes, keys a newer
// kernel may add, comm with spaces, and malformed lines named by number.

#include "kml/stats/programs_parser.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace kml::stats {
namespace {

constexpr std::string_view kRunning =
    "seq=17 pid=1234 state=running direct=1500 bypass=0 slow=3 elsewhere=0 "
    "sites=0x401a2c:2,0x40ff10:1 comm=busybox";
constexpr std::string_view kExited =
    "seq=16 pid=1200 state=exited direct=100 bypass=0 slow=0 elsewhere=0 "
    "sites=- comm=sh";

// The message of the ParseError that parsing `text` throws.
std::string parseFailure(std::string_view text) {
  try {
    parsePrograms(text);
  } catch (const ParseError &error) {
    return error.what();
  }
  return "(no error)";
}

TEST(ParseLine, AllFields) {
  const ProgramRecord record = parseProgramLine(kRunning);
  EXPECT_EQ(record.seq, 17U);
  EXPECT_EQ(record.pid, 1234);
  EXPECT_EQ(record.state, "running");
  EXPECT_EQ(record.direct, 1500U);
  EXPECT_EQ(record.bypass, 0U);
  EXPECT_EQ(record.slow, 3U);
  EXPECT_EQ(record.elsewhere, 0U);
  EXPECT_EQ(record.sites,
            (std::vector<SlowSite>{{0x401a2c, 2}, {0x40ff10, 1}}));
  EXPECT_EQ(record.comm, "busybox");
}

TEST(ParseLine, NoSites) {
  const ProgramRecord record = parseProgramLine(kExited);
  EXPECT_TRUE(record.sites.empty());
  EXPECT_EQ(record.state, "exited");
  EXPECT_EQ(record.comm, "sh");
}

TEST(ParseLine, OneSiteAndLargeCounts) {
  const ProgramRecord record = parseProgramLine(
      "seq=1 pid=2 state=exited direct=18446744073709551615 bypass=7 "
      "slow=5 elsewhere=4 sites=0xffffffffff600000:1 comm=x");
  EXPECT_EQ(record.direct, 18446744073709551615ULL);
  EXPECT_EQ(record.sites, (std::vector<SlowSite>{{0xffffffffff600000ULL, 1}}));
}

TEST(ParseLine, CommKeepsSpacesAndEquals) {
  const ProgramRecord record = parseProgramLine(
      "seq=3 pid=9 state=running direct=1 bypass=0 slow=0 elsewhere=0 "
      "sites=- comm=my prog  a=b ");
  EXPECT_EQ(record.comm, "my prog  a=b ");
}

TEST(ParseLine, EmptyComm) {
  const ProgramRecord record = parseProgramLine(
      "seq=3 pid=9 state=running direct=1 bypass=0 slow=0 elsewhere=0 "
      "sites=- comm=");
  EXPECT_EQ(record.comm, "");
}

TEST(ParseLine, UnknownKeysAreIgnored) {
  const ProgramRecord record = parseProgramLine(
      "future=1 seq=17 pid=1234 state=running cpu=3 direct=1500 bypass=0 "
      "slow=3 elsewhere=0 sites=0x401a2c:2,0x40ff10:1 x= comm=busybox");
  EXPECT_EQ(record, parseProgramLine(kRunning));
}

TEST(ParseLine, KeysInAnyOrder) {
  const ProgramRecord record = parseProgramLine(
      "sites=- elsewhere=0 slow=0 bypass=0 direct=100 state=exited "
      "pid=1200 seq=16 comm=sh");
  EXPECT_EQ(record, parseProgramLine(kExited));
}

TEST(ParseFile, LinesInFileOrder) {
  const std::string text =
      std::string(kRunning) + "\n" + std::string(kExited) + "\n";
  const auto records = parsePrograms(text);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].seq, 17U);
  EXPECT_EQ(records[1].seq, 16U);
}

TEST(ParseFile, NoFinalNewlineAndBlankLines) {
  const std::string text =
      "\n" + std::string(kRunning) + "\n\n" + std::string(kExited);
  EXPECT_EQ(parsePrograms(text).size(), 2U);
}

TEST(ParseFile, EmptyFile) {
  EXPECT_TRUE(parsePrograms("").empty());
  EXPECT_TRUE(parsePrograms("\n").empty());
}

TEST(ParseFile, MalformedLineIsNamed) {
  const std::string text =
      std::string(kRunning) + "\n" + "seq=16 pid=1200 garbage\n";
  EXPECT_EQ(parseFailure(text), "line 2: expected key=value, not 'garbage'");
  try {
    parsePrograms(text);
  } catch (const ParseError &error) {
    EXPECT_EQ(error.line(), 2U);
  }
}

TEST(ParseFile, LineNumbersCountBlankLines) {
  EXPECT_EQ(parseFailure("\n\nseq=x\n"), "line 3: bad seq 'x'");
}

struct Malformed {
  std::string name;
  std::string line;
  std::string message;
};

// GoogleTest names the case by its name, not a byte dump.
void PrintTo(const Malformed &malformed, std::ostream *out) {
  *out << malformed.name;
}

class MalformedLine : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedLine, IsRefusedWithAReason) {
  EXPECT_EQ(parseFailure(GetParam().line), "line 1: " + GetParam().message);
}

const std::string kTail = " bypass=0 slow=0 elsewhere=0 sites=- comm=sh";

INSTANTIATE_TEST_SUITE_P(
    Lines, MalformedLine,
    ::testing::Values(
        Malformed{"missing_key", "seq=1 pid=2 state=exited" + kTail,
                  "no 'direct'"},
        Malformed{"missing_comm",
                  "seq=1 pid=2 state=exited direct=1 bypass=0 slow=0 "
                  "elsewhere=0 sites=-",
                  "no 'comm'"},
        Malformed{"negative_count",
                  "seq=1 pid=2 state=exited direct=-1" + kTail,
                  "bad direct count '-1'"},
        Malformed{"empty_value", "seq= pid=2 state=exited direct=1" + kTail,
                  "bad seq ''"},
        Malformed{"trailing_junk", "seq=1x pid=2 state=exited direct=1" + kTail,
                  "bad seq '1x'"},
        Malformed{"empty_state", "seq=1 pid=2 state= direct=1" + kTail,
                  "empty state"},
        Malformed{"duplicate",
                  "seq=1 seq=2 pid=2 state=exited direct=1" + kTail,
                  "key 'seq' appears twice"},
        Malformed{"no_equals", "seq=1 pid 2 state=exited direct=1" + kTail,
                  "expected key=value, not 'pid'"},
        Malformed{"empty_key", "=1 seq=1 pid=2 state=exited direct=1" + kTail,
                  "expected key=value, not '=1'"},
        Malformed{"site_without_0x",
                  "seq=1 pid=2 state=exited direct=1 bypass=0 slow=1 "
                  "elsewhere=0 sites=401a2c:1 comm=sh",
                  "bad slow site '401a2c:1' (expected 0xADDRESS:COUNT)"},
        Malformed{"site_without_count",
                  "seq=1 pid=2 state=exited direct=1 bypass=0 slow=1 "
                  "elsewhere=0 sites=0x401a2c comm=sh",
                  "bad slow site '0x401a2c' (expected 0xADDRESS:COUNT)"},
        Malformed{"site_bad_address",
                  "seq=1 pid=2 state=exited direct=1 bypass=0 slow=1 "
                  "elsewhere=0 sites=0xzz:1 comm=sh",
                  "bad slow site address 'zz'"},
        Malformed{"site_empty_entry",
                  "seq=1 pid=2 state=exited direct=1 bypass=0 slow=1 "
                  "elsewhere=0 sites=0x10:1, comm=sh",
                  "bad slow site '' (expected 0xADDRESS:COUNT)"}),
    [](const auto &info) { return info.param.name; });

} // namespace
} // namespace kml::stats
