// kml build when a step says no: the diagnostics of that step on stderr
// (the verifier's findings with their rule IDs), a sysexits code, and no
// output file, nor anything left in TMPDIR. An existing OUT is left as it
// was.

#include "build_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace kml::test {
namespace {

class BuildFails : public BuildTest {
protected:
  // Builds and expects exit code; OUT stays absent, TMPDIR empty.
  RunResult buildFails(const std::vector<std::string> &args, int code) {
    const RunResult result = build(args, out_);
    EXPECT_EQ(result.exitCode, code) << result.out << result.err;
    EXPECT_FALSE(fs::exists(out_));
    EXPECT_TRUE(listDir(tmpDir()).empty());
    EXPECT_EQ(result.out, "");
    return result;
  }

  fs::path out_ = dir_ / "app";
};

TEST_F(BuildFails, SourceRuleFindings) {
  const fs::path src = source("bad.c", R"(#include <stdlib.h>
int main(void) {
  int *p = malloc(4);
  free(p);
  return 0;
}
)");
  const RunResult result = buildFails({src.string()}, 1);
  EXPECT_EQ(ruleIds(result.err),
            (std::vector<std::string>{"KML-R003", "KML-R012"}))
      << result.err;
  EXPECT_NE(result.err.find("bad.c:3:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("the source rules"), std::string::npos);
  EXPECT_NE(result.err.find("not written"), std::string::npos);
}

// The flags after `--` come after the required ones: weakening one is a
// KML-R014 finding, not a quietly weaker program.
TEST_F(BuildFails, WeakenedRequiredFlag) {
  const fs::path src = source("ok.c", "int main(void) { return 0; }\n");
  const RunResult result =
      buildFails({src.string(), "--", "-fno-stack-protector"}, 1);
  EXPECT_EQ(ruleIds(result.err), std::vector<std::string>{"KML-R014"})
      << result.err;
}

// The binary validator's findings stop the build as the source rules' do.
// A source that passes the rules does not link into a program the
// validator refuses (that is the point of both), so a kml-verify first in
// PATH injects one finding for the binary and runs the real one otherwise.
TEST_F(BuildFails, BinaryValidatorFindings) {
  const fs::path wrapper = dir_ / "wrapper";
  fs::create_directories(wrapper);
  std::ofstream(wrapper / "kml-verify")
      << "#!/bin/sh\n"
         "for arg in \"$@\"; do\n"
         "  case \"$arg\" in --binary=*)\n"
         "    echo 'app:0x401000 <main+0x0>: error: port I/O (`in al, dx`) "
         "[KML-B010]' >&2; exit 1 ;;\n"
         "  esac\n"
         "done\n"
         "exec '"
      << KML_VERIFY_DIR << "/kml-verify' \"$@\"\n";
  fs::permissions(wrapper / "kml-verify", kMode0755);
  const char *path = std::getenv("PATH");
  const ScopedEnv inPath("PATH", wrapper.string() + ":" + (path ? path : ""));
  const fs::path src = source("ok.c", "int main(void) { return 0; }\n");
  const RunResult result = buildFails({src.string()}, 1);
  EXPECT_EQ(ruleIds(result.err), std::vector<std::string>{"KML-B010"})
      << result.err;
  EXPECT_NE(result.err.find("the binary validator"), std::string::npos)
      << result.err;
}

TEST_F(BuildFails, CompileError) {
  const fs::path src = source("broken.c", "int main(void) { return x; }\n");
  const RunResult result = buildFails({src.string()}, 65);
  EXPECT_NE(result.err.find("broken.c:1:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("clang-19 failed"), std::string::npos)
      << result.err;
}

TEST_F(BuildFails, LinkError) {
  const fs::path a = source("a.c", "int f(void) { return 1; }\n"
                                   "int main(void) { return f(); }\n");
  const fs::path b = source("b.c", "int f(void) { return 2; }\n");
  const RunResult result = buildFails({a.string(), b.string()}, 65);
  EXPECT_NE(result.err.find("linking failed"), std::string::npos) << result.err;
}

TEST_F(BuildFails, ExistingOutputIsLeftAlone) {
  writeBytes(out_, {std::byte{'o'}, std::byte{'l'}, std::byte{'d'}});
  const FileSnapshot before = snapshot(out_);
  const fs::path src = source("bad.c", "int main(void) { int x; return x; }\n");
  const RunResult result = build({src.string()}, out_);
  EXPECT_EQ(result.exitCode, 1) << result.err;
  EXPECT_EQ(ruleIds(result.err), std::vector<std::string>{"KML-R010"});
  EXPECT_EQ(snapshot(out_), before);
}

TEST_F(BuildFails, MissingSource) {
  const RunResult result = buildFails({(dir_ / "nothere.c").string()}, 66);
  EXPECT_NE(result.err.find("nothere.c: no such source file"),
            std::string::npos)
      << result.err;
}

TEST_F(BuildFails, NoDatabaseEntry) {
  const fs::path src = source("main.c", "int main(void) { return 0; }\n");
  source("db/compile_commands.json", "[]\n");
  const RunResult result =
      buildFails({"-p", (dir_ / "db").string(), src.string()}, 65);
  EXPECT_NE(result.err.find("no compile command for"), std::string::npos)
      << result.err;
}

TEST_F(BuildFails, Usage) {
  const fs::path src = source("main.c", "int main(void) { return 0; }\n");
  EXPECT_EQ(kml({"build", src.string()}).exitCode, 64);        // no -o
  EXPECT_EQ(kml({"build", "-o", out_.string()}).exitCode, 64); // no SRC
  const RunResult asm_ =
      kml({"build", "-o", out_.string(), (dir_ / "x.s").string()});
  EXPECT_EQ(asm_.exitCode, 64);
  EXPECT_NE(asm_.err.find("not a C or C++ source"), std::string::npos);
  EXPECT_EQ(kml({"build", "-o", out_.string(), "--key", "k.pem", src.string()})
                .exitCode,
            64); // --key without --cert
  EXPECT_FALSE(fs::exists(out_));
}

// The tools are looked for next to kml, then in PATH; a missing one is
// named, with exit status 69 (EX_UNAVAILABLE), before anything runs.
class MissingTool : public BuildFails {
protected:
  void SetUp() override {
    fs::create_directories(bin_);
    fs::copy_file(KML_BIN, bin_ / "kml");
  }

  RunResult buildWith(const std::vector<std::string> &sources, int code) {
    const ScopedEnv path("PATH", (dir_ / "empty").string());
    std::vector<std::string> argv{(bin_ / "kml").string(), "build", "-o",
                                  out_.string()};
    argv.insert(argv.end(), sources.begin(), sources.end());
    const RunResult result = run(argv);
    EXPECT_EQ(result.exitCode, code) << result.err;
    EXPECT_FALSE(fs::exists(out_));
    return result;
  }

  fs::path bin_ = dir_ / "bin";
};

TEST_F(MissingTool, Compiler) {
  const fs::path src = source("main.c", "int main(void) { return 0; }\n");
  const RunResult result = buildWith({src.string()}, 69);
  EXPECT_NE(result.err.find("kml build: cannot find clang-19: looked next to "
                            "kml (" +
                            bin_.string() + ") and in PATH"),
            std::string::npos)
      << result.err;
}

TEST_F(MissingTool, CxxCompilerBesideTheOthers) {
  fs::create_symlink(KML_CLANG, bin_ / "clang-19");
  fs::create_symlink(fs::path(KML_VERIFY_DIR) / "kml-verify",
                     bin_ / "kml-verify");
  const fs::path c = source("part.c", "int part(void) { return 0; }\n");
  const fs::path cxx = source("main.cpp", "int main() { return 0; }\n");
  const RunResult result = buildWith({c.string(), cxx.string()}, 69);
  EXPECT_NE(result.err.find("cannot find clang++-19"), std::string::npos)
      << result.err;
}

TEST_F(MissingTool, Verifier) {
  fs::create_symlink(KML_CLANG, bin_ / "clang-19");
  const fs::path src = source("main.c", "int main(void) { return 0; }\n");
  const RunResult result = buildWith({src.string()}, 69);
  EXPECT_NE(result.err.find("cannot find kml-verify"), std::string::npos)
      << result.err;
}

} // namespace
} // namespace kml::test
