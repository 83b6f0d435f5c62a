// `kml explain` on the command line: each kind of site (direct after the
// rewrite, left on the slow path with its reason, bypass, ring 3), the
// original instructions rebuilt from a rewritten file, the verdict under
// the policy, the JSON schema, and refusals with their exit codes.

#include "support.hpp"

#include "kml/gate/json.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace kml::rwtest {
namespace {

using gate::JsonValue;

// Every run points the policy at a directory that does not exist, so the
// host's own /sys/kernel/kml (if any) does not change the answers.
struct ExplainRun {
  RunResult result;
  JsonValue json; // when --json succeeded
};

RunResult explainRaw(const std::vector<std::string> &args,
                     const std::string &sysfs = "/nonexistent/kml-sysfs",
                     const std::string &keyDir = "/nonexistent/kml-keys") {
  std::vector<std::string> argv{KML_BIN, "explain"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.emplace_back("--key-dir");
  argv.push_back(keyDir);
  return run(argv, "", {"KML_SYSFS_DIR=" + sysfs});
}

JsonValue explainJson(const fs::path &file,
                      const std::string &sysfs = "/nonexistent/kml-sysfs",
                      const std::string &keyDir = "/nonexistent/kml-keys") {
  const RunResult r = explainRaw({file.string(), "--json"}, sysfs, keyDir);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.err, "");
  return gate::parseJson(r.out);
}

const JsonValue &field(const JsonValue &object, std::string_view name) {
  const JsonValue *value = object.member(name);
  if (value == nullptr) {
    throw std::runtime_error("no member " + std::string(name));
  }
  return *value;
}

std::string text(const JsonValue &object, std::string_view name) {
  return field(object, name).text;
}

// The site whose symbol is `symbol` (one per function in calls.S).
const JsonValue &siteIn(const JsonValue &json, const std::string &symbol) {
  for (const JsonValue &site : field(json, "sites").items) {
    if (text(site, "symbol").starts_with(symbol + "+")) {
      return site;
    }
  }
  throw std::runtime_error("no site in " + symbol);
}

std::vector<std::string> instructionTexts(const JsonValue &list) {
  std::vector<std::string> out;
  out.reserve(list.items.size());
  for (const JsonValue &insn : list.items) {
    out.push_back(text(insn, "text"));
  }
  return out;
}

fs::path rewritten(const TempDir &dir, const std::string &name) {
  const fs::path out = dir / (name + "-rewritten");
  const RunResult r =
      kml({"rewrite", program(name).string(), "-o", out.string(), "--quiet"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  return out;
}

void writeText(const fs::path &path, const std::string &content) {
  std::ofstream(path) << content;
}

TEST(ExplainCli, UnmarkedProgramRunsAtRing3AndShowsTheRewriteToCome) {
  const JsonValue json = explainJson(program("calls"));
  EXPECT_EQ(text(json, "schema"), "1");
  EXPECT_FALSE(field(json, "rewritten").boolean);
  EXPECT_FALSE(field(field(json, "marker"), "present").boolean);
  EXPECT_EQ(text(field(json, "decision"), "result"), "ring 3");
  ASSERT_EQ(field(json, "sites").items.size(), 4U);
  for (const JsonValue &site : field(json, "sites").items) {
    EXPECT_EQ(text(site, "path"), "ring 3");
    EXPECT_NE(text(site, "why").find("not marked for ring 0"),
              std::string::npos);
  }
  const JsonValue &say = siteIn(json, "say");
  EXPECT_EQ(text(say, "name"), "write");
  EXPECT_EQ(text(say, "number"), "1");
  EXPECT_TRUE(field(say, "rewritten").boolean);
  EXPECT_EQ(text(field(say, "after_rewrite"), "path"), "direct");
  EXPECT_EQ(instructionTexts(field(say, "original")),
            (std::vector<std::string>{"mov $0x1, %eax", "syscall"}));
  const auto replaced = instructionTexts(field(say, "replaced"));
  ASSERT_FALSE(replaced.empty());
  EXPECT_TRUE(replaced.front().starts_with("jmp ")) << replaced.front();
  // The stub starts with the moved `mov` and ends with its fallback.
  const auto stub = instructionTexts(field(say, "stub_code"));
  ASSERT_GE(stub.size(), 3U);
  EXPECT_EQ(stub.front(), "mov $0x1, %eax");
  EXPECT_EQ(stub[stub.size() - 2], "syscall");
  EXPECT_EQ(text(siteIn(json, "_start"), "name"), "exit");
  const JsonValue &after = field(json, "summary_after_rewrite");
  EXPECT_EQ(text(after, "direct"), "3");
  EXPECT_EQ(text(after, "slow"), "1");
  EXPECT_EQ(text(field(json, "summary"), "ring3"), "4");
}

TEST(ExplainCli, RewrittenSitesGoDirectAndLeftOnesSlowWithTheirReason) {
  TempDir dir;
  const fs::path file = rewritten(dir, "calls");
  const JsonValue json = explainJson(file);
  EXPECT_TRUE(field(json, "rewritten").boolean);
  EXPECT_TRUE(field(json, "original_recovered").boolean);
  const JsonValue &say = siteIn(json, "say");
  EXPECT_EQ(text(say, "name"), "write");
  EXPECT_EQ(text(say, "path"), "direct");
  EXPECT_EQ(field(say, "after_rewrite").kind, JsonValue::Kind::Null);
  // The original, rebuilt from the stub, is what the file had.
  EXPECT_EQ(instructionTexts(field(say, "original")),
            (std::vector<std::string>{"mov $0x1, %eax", "syscall"}));
  const JsonValue &left = siteIn(json, "endbr_call");
  EXPECT_EQ(text(left, "path"), "slow");
  EXPECT_FALSE(field(left, "rewritten").boolean);
  EXPECT_EQ(text(left, "name"), "set at run time");
  EXPECT_EQ(field(left, "number").kind, JsonValue::Kind::Null);
  EXPECT_FALSE(text(left, "reason").empty());
  EXPECT_NE(text(left, "why").find(text(left, "reason_text")),
            std::string::npos);
  const JsonValue &summary = field(json, "summary");
  EXPECT_EQ(text(summary, "sites"), "4");
  EXPECT_EQ(text(summary, "direct"), "3");
  EXPECT_EQ(text(summary, "slow"), "1");
  EXPECT_EQ(text(field(summary, "slow_by_reason"), text(left, "reason")), "1");
  EXPECT_EQ(field(json, "summary_after_rewrite").kind, JsonValue::Kind::Null);
  // Marked enabled by the rewrite, but unsigned: the default policy
  // refuses it.
  EXPECT_TRUE(field(field(json, "marker"), "enabled").boolean);
  EXPECT_EQ(text(field(json, "decision"), "result"), "refused");
  EXPECT_EQ(text(field(json, "decision"), "reason"), "unsigned");
}

TEST(ExplainCli, TheBypassAnswersGetppidWhenTheMarkerAsks) {
  TempDir dir;
  const fs::path file = rewritten(dir, "calls");
  ASSERT_EQ(kml({"bypass", "on", file.string()}).exitCode, 0);
  const JsonValue json = explainJson(file);
  EXPECT_TRUE(field(field(json, "marker"), "bypass").boolean);
  const JsonValue &parent = siteIn(json, "parent");
  EXPECT_EQ(text(parent, "name"), "getppid");
  EXPECT_EQ(text(parent, "path"), "bypass");
  EXPECT_EQ(text(siteIn(json, "say"), "path"), "direct");
  EXPECT_EQ(text(field(json, "summary"), "bypass"), "1");
}

TEST(ExplainCli, AMarkedProgramNotRewrittenTrapsAtEverySite) {
  TempDir dir;
  const fs::path file = dir / "calls-marked";
  ASSERT_EQ(
      kml({"mark", program("calls").string(), "-o", file.string()}).exitCode,
      0);
  const JsonValue json = explainJson(file);
  EXPECT_FALSE(field(json, "rewritten").boolean);
  for (const JsonValue &site : field(json, "sites").items) {
    EXPECT_EQ(text(site, "path"), "slow");
    EXPECT_NE(text(site, "why").find("not rewritten"), std::string::npos);
  }
  EXPECT_EQ(text(field(siteIn(json, "say"), "after_rewrite"), "path"),
            "direct");
  EXPECT_EQ(text(field(json, "summary"), "slow"), "4");
  EXPECT_EQ(text(field(json, "summary_after_rewrite"), "direct"), "3");
}

TEST(ExplainCli, ADisabledMarkerMeansRing3) {
  TempDir dir;
  const fs::path file = rewritten(dir, "calls");
  ASSERT_EQ(kml({"disable", file.string()}).exitCode, 0);
  const JsonValue json = explainJson(file);
  for (const JsonValue &site : field(json, "sites").items) {
    EXPECT_EQ(text(site, "path"), "ring 3");
  }
  EXPECT_EQ(text(field(json, "decision"), "result"), "ring 3");
  EXPECT_NE(text(field(json, "decision"), "why").find("disabled"),
            std::string::npos);
}

TEST(ExplainCli, TextShowsSitesSideBySideAndTheVerdict) {
  TempDir dir;
  const fs::path file = rewritten(dir, "calls");
  const RunResult r = explainRaw({file.string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("say+0x5  write (1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("path:  direct: rewritten"), std::string::npos);
  EXPECT_NE(r.out.find("path:  slow: left as a `syscall` instruction"),
            std::string::npos);
  EXPECT_NE(r.out.find("| rewritten"), std::string::npos);
  EXPECT_NE(r.out.find("stub at 0x"), std::string::npos);
  EXPECT_NE(r.out.find("no kml kernel is running here"), std::string::npos);
  EXPECT_NE(r.out.find("summary: 4 sites: 3 direct, 0 bypass, 1 slow"),
            std::string::npos)
      << r.out;
}

class RealProgram : public ::testing::TestWithParam<std::string> {};

TEST_P(RealProgram, OriginalIsRebuiltExactly) {
  TempDir dir;
  const JsonValue before = explainJson(program(GetParam()));
  const JsonValue after = explainJson(rewritten(dir, GetParam()));
  EXPECT_TRUE(field(after, "original_recovered").boolean);
  const auto &sitesBefore = field(before, "sites").items;
  const auto &sitesAfter = field(after, "sites").items;
  ASSERT_EQ(sitesBefore.size(), sitesAfter.size());
  ASSERT_GT(sitesBefore.size(), 50U);
  for (std::size_t i = 0; i < sitesBefore.size(); ++i) {
    const JsonValue &b = sitesBefore[i];
    const JsonValue &a = sitesAfter[i];
    EXPECT_EQ(text(a, "address"), text(b, "address"));
    EXPECT_EQ(text(a, "symbol"), text(b, "symbol"));
    EXPECT_EQ(text(a, "name"), text(b, "name"));
    EXPECT_EQ(field(a, "rewritten").boolean, field(b, "rewritten").boolean);
    EXPECT_EQ(instructionTexts(field(a, "original")),
              instructionTexts(field(b, "original")))
        << text(a, "symbol");
    // The rewrite made in memory is the one in the file.
    EXPECT_EQ(text(a, "path"), text(field(b, "after_rewrite"), "path"))
        << text(a, "symbol");
  }
  bool sawWrite = false;
  for (const JsonValue &site : sitesAfter) {
    sawWrite = sawWrite || (text(site, "name") == "write" &&
                            text(site, "path") == "direct");
  }
  EXPECT_TRUE(sawWrite);
}

INSTANTIATE_TEST_SUITE_P(Glibc, RealProgram,
                         ::testing::Values("hello-glibc-static",
                                           "hello-glibc-static-stripped"),
                         [](const auto &info) {
                           return paramName(info.param);
                         });

TEST(ExplainCli, PolicyIsReadFromTheKernelsFiles) {
  TempDir dir;
  const fs::path file = rewritten(dir, "calls");
  const fs::path sysfs = dir / "sysfs";
  fs::create_directories(sysfs);
  writeText(sysfs / "min_assurance", "trusted\n");
  writeText(sysfs / "min_generation", "3\n");
  writeText(sysfs / "allow_unsigned", "1\n");
  writeText(sysfs / "allow_bypass", "0\n");
  const JsonValue json = explainJson(file, sysfs.string());
  const JsonValue &policy = field(json, "policy");
  EXPECT_TRUE(field(policy, "from_kernel").boolean);
  EXPECT_EQ(text(policy, "min_assurance"), "trusted");
  EXPECT_EQ(text(policy, "min_generation"), "3");
  EXPECT_TRUE(field(policy, "allow_unsigned").boolean);
  EXPECT_FALSE(field(policy, "allow_bypass").boolean);
  // Development mode runs the unsigned program at ring 0.
  EXPECT_EQ(text(field(json, "decision"), "result"), "ring 0");

  writeText(sysfs / "min_assurance", "whatever\n");
  const RunResult bad = explainRaw({file.string()}, sysfs.string());
  EXPECT_EQ(bad.exitCode, 65);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("min_assurance"), std::string::npos) << bad.err;
}

TEST(ExplainCli, ASignedProgramIsJudgedAsKmlVerifyJudgesIt) {
  TempDir dir;
  // calls.S is too small: its code shares the signature's page
  // (unapproved-mapping, tested below); glibc's hello is not.
  const fs::path file = rewritten(dir, "hello-glibc-static");
  const fs::path keys = dir / "keys";
  ASSERT_EQ(kml({"key", "new", "explain", "--dir", keys.string()}).exitCode, 0);
  const fs::path signedFile = dir / "calls-signed";
  const RunResult sign =
      kml({"sign", file.string(), "-o", signedFile.string(), "--key-name",
           "explain", "--key-dir", keys.string(), "--assurance", "trusted"});
  ASSERT_EQ(sign.exitCode, 0) << sign.err;
  // The default policy wants `verified`.
  const JsonValue refused =
      explainJson(signedFile, "/nonexistent/kml-sysfs", keys.string());
  EXPECT_EQ(text(field(refused, "signature"), "state"), "present");
  EXPECT_EQ(text(field(refused, "signature"), "assurance"), "trusted");
  EXPECT_EQ(text(field(refused, "decision"), "result"), "refused");
  EXPECT_EQ(text(field(refused, "decision"), "reason"), "assurance-too-low");
  const fs::path sysfs = dir / "sysfs";
  fs::create_directories(sysfs);
  writeText(sysfs / "min_assurance", "trusted\n");
  const JsonValue allowed =
      explainJson(signedFile, sysfs.string(), keys.string());
  EXPECT_EQ(text(field(allowed, "decision"), "result"), "ring 0");
  // Without the key, the signer is unknown.
  const JsonValue unknown = explainJson(signedFile, sysfs.string());
  EXPECT_EQ(text(field(unknown, "decision"), "reason"), "unknown-key");

  // kml verify's extent check: code in the signature's last page.
  const fs::path small = rewritten(dir, "calls");
  const fs::path smallSigned = dir / "calls-signed";
  ASSERT_EQ(
      kml({"sign", small.string(), "-o", smallSigned.string(), "--key-name",
           "explain", "--key-dir", keys.string(), "--assurance", "trusted"})
          .exitCode,
      0);
  const JsonValue smallJson =
      explainJson(smallSigned, sysfs.string(), keys.string());
  EXPECT_EQ(text(field(smallJson, "decision"), "reason"), "unapproved-mapping");
}

// The host's glibc: kml rewrites the same files for kml run --ring0.
const fs::path kHostLibc = "/lib/x86_64-linux-gnu/libc.so.6";
const fs::path kHostLoader = "/lib64/ld-linux-x86-64.so.2";

fs::path rewrittenCopy(const TempDir &dir, const fs::path &file) {
  const fs::path out = dir / (file.filename().string() + "-rewritten");
  const RunResult r =
      kml({"rewrite", file.string(), "-o", out.string(), "--quiet"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  return out;
}

// getppid's site in glibc: `mov $0x6e,%eax; syscall`.
const JsonValue &getppidSite(const JsonValue &json) {
  for (const JsonValue &site : field(json, "sites").items) {
    if (text(site, "symbol").starts_with("getppid+") &&
        text(site, "name") == "getppid") {
      return site;
    }
  }
  throw std::runtime_error("no getppid site");
}

TEST(ExplainCli, ALibraryIsExplainedWithItsFinderBeforeAndAfterRewrite) {
  if (!fs::exists(kHostLibc)) {
    GTEST_SKIP() << kHostLibc << " is not here";
  }
  const JsonValue before = explainJson(kHostLibc);
  EXPECT_EQ(text(before, "kind"), "library");
  EXPECT_EQ(text(before, "entry_source"), "finder");
  EXPECT_FALSE(field(before, "rewritten").boolean);
  EXPECT_EQ(text(field(before, "decision"), "result"), "library");
  EXPECT_NE(text(field(before, "decision"), "why").find("kml sign --list"),
            std::string::npos);
  const JsonValue &parentBefore = getppidSite(before);
  EXPECT_EQ(text(parentBefore, "number"), "110");
  // Mapped by a ring-0 process, the unrewritten `syscall` is slow.
  EXPECT_EQ(text(parentBefore, "path"), "slow");
  EXPECT_EQ(text(field(parentBefore, "after_rewrite"), "path"), "direct");
  EXPECT_NE(text(field(parentBefore, "after_rewrite"), "why").find("finder"),
            std::string::npos);

  TempDir dir;
  const fs::path file = rewrittenCopy(dir, kHostLibc);
  const JsonValue after = explainJson(file);
  EXPECT_EQ(text(after, "kind"), "library");
  EXPECT_TRUE(field(after, "rewritten").boolean);
  // A library's stubs check the finder before the fallback `syscall`:
  // the original is still rebuilt from them.
  EXPECT_TRUE(field(after, "original_recovered").boolean);
  const JsonValue &parent = getppidSite(after);
  EXPECT_EQ(text(parent, "path"), "direct");
  EXPECT_NE(text(parent, "why").find("finder"), std::string::npos);
  EXPECT_EQ(instructionTexts(field(parent, "original")),
            (std::vector<std::string>{"mov $0x6e, %eax", "syscall"}));
  EXPECT_EQ(field(after, "sites").items.size(),
            field(before, "sites").items.size());
  EXPECT_EQ(text(field(after, "summary"), "direct"),
            text(field(before, "summary_after_rewrite"), "direct"));

  const RunResult textRun = explainRaw({file.string()});
  ASSERT_EQ(textRun.exitCode, 0) << textRun.err;
  EXPECT_NE(textRun.out.find(": shared library"), std::string::npos);
  EXPECT_NE(textRun.out.find("entry source: finder"), std::string::npos);
  EXPECT_NE(textRun.out.find("getppid (110)"), std::string::npos);
  EXPECT_NE(textRun.out.find("kernel:    library: "), std::string::npos);
}

TEST(ExplainCli, ALoaderIsExplainedWithItsEntryHook) {
  if (!fs::exists(kHostLoader)) {
    GTEST_SKIP() << kHostLoader << " is not here";
  }
  TempDir dir;
  const JsonValue json = explainJson(rewrittenCopy(dir, kHostLoader));
  EXPECT_EQ(text(json, "kind"), "loader");
  EXPECT_EQ(text(json, "entry_source"), "entry hook");
  EXPECT_TRUE(field(json, "original_recovered").boolean);
  EXPECT_GT(std::stoul(text(field(json, "summary"), "direct")), 0U);
  EXPECT_NE(text(field(json, "decision"), "why").find("kml run execs it"),
            std::string::npos);
}

TEST(ExplainCli, ADynamicProgramIsPointedAtItsLibraries) {
  const RunResult r = explainRaw({program("hello-dynamic").string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("dynamically linked program (interpreter /"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("made by its libraries"), std::string::npos);
  EXPECT_NE(r.out.find("/usr/lib/kml/libc.so.6"), std::string::npos);
  EXPECT_NE(r.out.find("kml explain build/dynroot/usr/lib/kml/libc.so.6"),
            std::string::npos);
  EXPECT_NE(r.out.find("kml explain --trace -- kml run --ring0 "),
            std::string::npos);
  EXPECT_NE(r.out.find("kml run --ring0 "), std::string::npos);
  // hello.c calls printf: no `syscall` of its own.
  EXPECT_NE(r.out.find("its own `syscall` instructions: none"),
            std::string::npos);
  const JsonValue json = explainJson(program("hello-dynamic"));
  EXPECT_EQ(text(json, "kind"), "dynamic program");
  EXPECT_TRUE(text(json, "interpreter").starts_with("/"));
  EXPECT_TRUE(text(json, "interpreter").find("ld-linux") != std::string::npos);
  EXPECT_TRUE(field(json, "own_sites").items.empty());
}

TEST(ExplainCli, BadInputIsRefusedWithItsExitCodeAndNoOutput) {
  TempDir dir;
  writeText(dir / "text", "not a program\n");
  const struct {
    std::vector<std::string> args;
    int code;
    std::string message;
  } cases[] = {
      {{(dir / "missing").string()}, 66, "No such file"},
      {{(dir / "text").string()}, 65, "not an ELF file"},
      {{program("calls").string(), program("calls").string()},
       64,
       "only one FILE"},
      {{"--bogus", program("calls").string()}, 64, "unknown option"},
      {{"--json", "--trace"}, 64, "--trace comes first"},
  };
  for (const auto &c : cases) {
    const RunResult r = explainRaw(c.args);
    EXPECT_EQ(r.exitCode, c.code) << c.args.front();
    EXPECT_EQ(r.out, "") << c.args.front();
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("kml explain"), std::string::npos) << r.err;
  }
  const RunResult none = run({KML_BIN, "explain"});
  EXPECT_EQ(none.exitCode, 64);
  const RunResult noCommand = run({KML_BIN, "explain", "--trace", "--"});
  EXPECT_EQ(noCommand.exitCode, 64);
  EXPECT_NE(noCommand.err.find("missing the command"), std::string::npos)
      << noCommand.err;
  // This host's kernel has no kml trace events (or no tracefs for us):
  // the command is not run, and the reason is said.
  const RunResult noKml = run({KML_BIN, "explain", "--trace", "--", "true"});
  EXPECT_EQ(noKml.exitCode, 69) << noKml.err;
  EXPECT_EQ(noKml.out, "");
  EXPECT_NE(noKml.err.find("kml explain --trace: "), std::string::npos);
  EXPECT_NE(none.err.find("missing FILE"), std::string::npos);
}

} // namespace
} // namespace kml::rwtest
