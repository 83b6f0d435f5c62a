// kml build on programs that pass: a C program, a C++ program on the
// runtime headers, both languages in one program, a CMake-style
// compilation database (-p), and --bypass. Each result is a signed program
// that `kml verify` allows at assurance verified, and still runs at ring 3
// (the rewritten sites fall back to `syscall` there). kml-verify, source
// rules and binary validator, is the real one.

#include "build_fixture.hpp"

#include <cstdlib>
#include <regex>

namespace kml::test {
namespace {

constexpr const char *kHelloC = R"(#include <stdio.h>

int main(void) {
  printf("hello from C\n");
  return 0;
}
)";

// The runtime's bounds-checked span, from the -I that kml-verify names.
constexpr const char *kSumCxx = R"(#include <kml/span.hpp>
#include <stdio.h>

static int sum(kml::span<const int> values) {
  int total = 0;
  for (size_t i = 0; i < values.size(); ++i)
    total += values[i];
  return total;
}

int main() {
  int raw[4] = {1, 2, 3, 4};
  printf("sum %d\n", sum(kml::span<const int>(raw)));
  return 0;
}
)";

class BuildOk : public BuildTest {
protected:
  // Builds, expects success and a program that runs and prints want.
  RunResult buildAndRun(const std::vector<std::string> &args,
                        const std::string &want) {
    const RunResult result = build(args, out_);
    EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
    EXPECT_EQ(verifyOutcome(out_), "allowed");
    const RunResult ran = run({out_.string()});
    EXPECT_EQ(ran.exitCode, 0) << ran.err;
    EXPECT_EQ(ran.out, want);
    // Nothing of the build is left in TMPDIR.
    EXPECT_TRUE(listDir(tmpDir()).empty());
    return result;
  }

  fs::path out_ = dir_ / "out" / "app";

  void SetUp() override { fs::create_directories(out_.parent_path()); }
};

TEST_F(BuildOk, CProgram) {
  const RunResult result =
      buildAndRun({source("hello.c", kHelloC).string()}, "hello from C\n");
  const std::string &summary = result.out;
  EXPECT_NE(summary.find("kml build: " + out_.string()), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("checked    1 translation unit against 19 rules"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("findings   0"), std::string::npos);
  EXPECT_NE(summary.find(" rewritten, "), std::string::npos);
  EXPECT_NE(summary.find("assurance  verified"), std::string::npos);
  EXPECT_NE(summary.find("key        CN=kml development key test"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("output     " + out_.string()), std::string::npos);

  const RunResult inspect = kml({"inspect", "--json", out_.string()});
  EXPECT_NE(inspect.out.find(R"("flag_names": ["enable"])"), std::string::npos)
      << inspect.out;
  EXPECT_NE(inspect.out.find(R"("assurance": "verified")"), std::string::npos);
  EXPECT_NE(inspect.out.find(R"("ruleset_version": 4)"), std::string::npos);
  EXPECT_NE(inspect.out.find(R"("digest_matches": true)"), std::string::npos);
}

TEST_F(BuildOk, CxxProgramOnTheRuntime) {
  buildAndRun({source("sum.cpp", kSumCxx).string()}, "sum 10\n");
}

TEST_F(BuildOk, CAndCxxInOneProgram) {
  const fs::path part =
      source("part.c", "int twice(int x) { return 2 * x; }\n");
  const fs::path main = source("main.cc", R"(#include <stdio.h>
extern "C" int twice(int x);
int main() {
  printf("%d\n", twice(21));
  return 0;
}
)");
  const RunResult result =
      buildAndRun({part.string(), main.string(), "--", "-O2"}, "42\n");
  EXPECT_NE(result.out.find("checked    2 translation units"),
            std::string::npos)
      << result.out;
}

TEST_F(BuildOk, ExtraFlagsReachTheCompiler) {
  const fs::path src = source("greet.c", R"(#include <stdio.h>
int main(void) {
  printf("%s\n", GREETING);
  return 0;
}
)");
  buildAndRun({src.string(), "--", "-DGREETING=\"hi\"", "-O1"}, "hi\n");
}

// A CMake-style database: "command" strings, relative paths, the
// project's own -o and dependency files. kml build takes the command of
// each listed source, compiles in the workspace and writes nothing into
// the project.
TEST_F(BuildOk, CompileCommandsJson) {
  const fs::path project = dir_ / "project";
  source("project/src/main.c", R"(#include <stdio.h>
#include "greeting.h"
int main(void) {
  printf("%s %d\n", GREETING, ANSWER);
  return 0;
}
)");
  source("project/include/greeting.h", "#define GREETING \"from cmake\"\n");
  const fs::path buildDir = project / "build";
  fs::create_directories(buildDir);
  source("project/build/compile_commands.json",
         R"([
{ "directory": ")" +
             buildDir.string() +
             R"(",
  "command": "/usr/bin/cc -DANSWER=42 -I../include -O2 -std=gnu17 -MD -MT CMakeFiles/app.dir/src/main.c.o -MF CMakeFiles/app.dir/src/main.c.o.d -o CMakeFiles/app.dir/src/main.c.o -c ../src/main.c",
  "file": "../src/main.c",
  "output": "CMakeFiles/app.dir/src/main.c.o" },
{ "directory": ")" +
             buildDir.string() +
             R"(",
  "arguments": ["/usr/bin/cc", "-c", "../src/other.c"],
  "file": "../src/other.c" }
]
)");
  const std::vector<std::string> before = listDir(buildDir);
  buildAndRun({"-p", buildDir.string(), (project / "src" / "main.c").string()},
              "from cmake 42\n");
  EXPECT_EQ(listDir(buildDir), before);
}

// --bypass sets the bypass flag in the marker and approves it in the
// manifest: kml inspect shows both.
TEST_F(BuildOk, Bypass) {
  buildAndRun({"--bypass", source("hello.c", kHelloC).string()},
              "hello from C\n");
  const RunResult inspect = kml({"inspect", "--json", out_.string()});
  ASSERT_EQ(inspect.exitCode, 0) << inspect.err;
  const std::size_t signature = inspect.out.find("\"signature\"");
  ASSERT_NE(signature, std::string::npos) << inspect.out;
  const std::string marker = inspect.out.substr(0, signature);
  const std::string manifest = inspect.out.substr(signature);
  EXPECT_NE(marker.find(R"("flag_names": ["enable", "bypass"])"),
            std::string::npos)
      << inspect.out;
  EXPECT_NE(manifest.find(R"("flag_names": ["ring0", "bypass"])"),
            std::string::npos)
      << inspect.out;
}

// glibc's crash paths (`abort`, `_start`, `check_one_fd`, `_exit`) use
// `hlt` and its rt_sigreturn trampoline stays on `syscall`: the rewriter
// makes each hlt a trap byte and the validator accepts it and the exact
// trampoline, so the binary validator passes the program with no findings.
TEST_F(BuildOk, LibcCrashPathsAndTrampolinePassTheValidator) {
  const RunResult result = build({source("hello.c", kHelloC).string()}, out_);
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find("  findings   0\n"), std::string::npos)
      << result.out;
  const std::regex halts(
      R"(  hlt        ([0-9]+) found, ([0-9]+) made a trap \(0x06\))");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(result.out, match, halts)) << result.out;
  EXPECT_GT(std::stoi(match[1].str()), 0);
  EXPECT_EQ(match[1].str(), match[2].str());
  EXPECT_NE(result.out.find("1 rt_sigreturn trampoline"), std::string::npos)
      << result.out;
  EXPECT_EQ(verifyOutcome(out_), "allowed");
}

} // namespace
} // namespace kml::test
