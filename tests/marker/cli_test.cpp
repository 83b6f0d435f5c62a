// `kml mark`, `enable`, `disable` and `inspect` on every test program, and
// the marked programs still running on this kernel (which ignores the
// note) exactly as before.

#include "marker_of.hpp"
#include "support.hpp"

#include "kml/elf_image.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace kml::test {
namespace {

class CliTest : public ::testing::TestWithParam<std::string> {
protected:
  // A private copy of the program, so in-place commands cannot touch the
  // build tree's original.
  fs::path copy(const std::string &name) {
    const fs::path to = dir_ / name;
    copyFile(program(GetParam()), to);
    return to;
  }
  TempDir dir_;
};

TEST_P(CliTest, MarkThenInspectRoundTrip) {
  const fs::path input = copy("prog");
  const FileSnapshot before = snapshot(input);
  const fs::path output = dir_ / "marked";
  const RunResult mark = kml({"mark", input.string(), "-o", output.string()});
  ASSERT_EQ(mark.exitCode, 0) << mark.err;
  EXPECT_EQ(snapshot(input), before) << "-o must not touch the input";
  EXPECT_EQ(fs::status(output).permissions(), fs::status(input).permissions());

  const RunResult text = kml({"inspect", output.string()});
  EXPECT_EQ(text.exitCode, 0) << text.err;
  EXPECT_NE(text.out.find("KML marker present"), std::string::npos);
  EXPECT_NE(text.out.find("version:  1"), std::string::npos);
  EXPECT_NE(text.out.find("0x1 (enable)"), std::string::npos);
  EXPECT_NE(text.out.find("runs in kernel mode"), std::string::npos);
  EXPECT_NE(text.out.find("PT_NOTE"), std::string::npos);

  const ElfImage image(readBytes(output));
  const RunResult json = kml({"inspect", "--json", output.string()});
  EXPECT_EQ(json.exitCode, 0) << json.err;
  EXPECT_NE(json.out.find("\"marked\": true"), std::string::npos);
  EXPECT_NE(json.out.find("\"version\": 1"), std::string::npos);
  EXPECT_NE(json.out.find("\"flag_names\": [\"enable\"]"), std::string::npos);
  EXPECT_NE(json.out.find("\"kernel\": \"kernel-mode\""), std::string::npos);
  EXPECT_NE(json.out.find("\"desc_offset\": " +
                          std::to_string(markerOf(image).descOffset)),
            std::string::npos)
      << json.out;
}

TEST_P(CliTest, InspectUnmarked) {
  const RunResult text = kml({"inspect", program(GetParam()).string()});
  EXPECT_EQ(text.exitCode, 0);
  EXPECT_NE(text.out.find("no KML marker"), std::string::npos);
  const RunResult json =
      kml({"inspect", "--json", program(GetParam()).string()});
  EXPECT_EQ(json.exitCode, 0);
  EXPECT_NE(json.out.find("\"marked\": false"), std::string::npos);
}

TEST_P(CliTest, MarkedProgramRunsIdentically) {
  const fs::path enabled = dir_ / "enabled";
  const fs::path disabled = dir_ / "disabled";
  const fs::path input = program(GetParam());
  ASSERT_EQ(kml({"mark", input.string(), "-o", enabled.string()}).exitCode, 0);
  ASSERT_EQ(kml({"mark", input.string(), "-o", disabled.string(), "--disable"})
                .exitCode,
            0);
  const std::vector<std::string> args{"one", "two words", ""};
  auto withArgs = [&](const fs::path &prog) {
    std::vector<std::string> argv{prog.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };
  const RunResult want = run(withArgs(input));
  ASSERT_EQ(want.exitCode, 7) << want.err;
  for (const fs::path &prog : {enabled, disabled}) {
    const RunResult got = run(withArgs(prog));
    EXPECT_EQ(got.exitCode, want.exitCode) << prog;
    EXPECT_EQ(got.out, want.out) << prog;
    EXPECT_EQ(got.err, want.err) << prog;
  }
}

// The program walks its own program headers from AT_PHDR: it sees the
// note only if the moved table is mapped where the kernel says it is.
TEST_P(CliTest, MarkedProgramSeesItsNoteThroughAtPhdr) {
  const fs::path marked = dir_ / "marked";
  ASSERT_EQ(kml({"mark", program(GetParam()).string(), "-o", marked.string()})
                .exitCode,
            0);
  EXPECT_EQ(run({program(GetParam()).string(), "--notes"}).out,
            "no kml note in memory\n");
  const RunResult got = run({marked.string(), "--notes"});
  EXPECT_EQ(got.exitCode, 0) << got.err;
  EXPECT_EQ(got.out, "kml note in memory: version=1 flags=0x1\n");
}

TEST_P(CliTest, EnableAndDisableFlipTheFlagOnly) {
  const fs::path file = copy("prog");
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  const FileSnapshot marked = snapshot(file);
  const std::uint64_t flagsOffset = markerOf(marked.bytes).descOffset + 4;

  const RunResult disable = kml({"disable", file.string()});
  ASSERT_EQ(disable.exitCode, 0) << disable.err;
  const FileSnapshot disabled = snapshot(file);
  EXPECT_EQ(disabled.mode, marked.mode);
  ASSERT_EQ(disabled.bytes.size(), marked.bytes.size());
  EXPECT_EQ(differingOffsets(marked.bytes, disabled.bytes),
            std::vector<std::size_t>{flagsOffset});
  EXPECT_NE(kml({"inspect", file.string()}).out.find("disabled"),
            std::string::npos);

  ASSERT_EQ(kml({"disable", file.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(file).bytes, disabled.bytes) << "disable twice";

  ASSERT_EQ(kml({"enable", file.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(file).bytes, marked.bytes);
  EXPECT_EQ(listDir(dir_.path()), std::vector<std::string>{"prog"})
      << "no temporary file may be left behind";
}

TEST_P(CliTest, RemarkingIsIdempotent) {
  const fs::path file = copy("prog");
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  const auto once = readBytes(file);
  const FileSnapshot marked = snapshot(file);
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(file), marked) << "same bytes, and not even rewritten";
  const fs::path again = dir_ / "again";
  ASSERT_EQ(kml({"mark", file.string(), "-o", again.string()}).exitCode, 0);
  EXPECT_EQ(readBytes(again), once);
}

TEST_P(CliTest, InPlaceMarkKeepsPermissionBits) {
  const fs::path file = copy("prog");
  fs::permissions(file, kMode0750);
  ASSERT_EQ(kml({"mark", file.string(), "--disable"}).exitCode, 0);
  EXPECT_EQ(fs::status(file).permissions(), kMode0750);
  EXPECT_EQ(markerOf(readBytes(file)).desc.flags, 0U);
  EXPECT_EQ(listDir(dir_.path()), std::vector<std::string>{"prog"});
}

TEST_P(CliTest, MarkWritesThroughASymlink) {
  const fs::path file = copy("prog");
  const fs::path link = dir_ / "link";
  fs::create_symlink("prog", link);
  ASSERT_EQ(kml({"mark", link.string()}).exitCode, 0);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_TRUE(ElfImage(readBytes(file)).marker().has_value());
}

// Packaging strips binaries after the build, possibly after marking: the
// note's section makes binutils keep the note and lay the segment out
// consistently (docs/marker.md).
TEST_P(CliTest, MarkedProgramSurvivesStripAndObjcopy) {
  const fs::path marked = dir_ / "marked";
  ASSERT_EQ(kml({"mark", program(GetParam()).string(), "-o", marked.string()})
                .exitCode,
            0);
  const RunResult want = run({marked.string(), "--notes"});
  struct Tool {
    std::vector<std::string> argv;
    fs::path result;
  };
  const fs::path stripped = dir_ / "stripped";
  const fs::path debugStripped = dir_ / "debug-stripped";
  const fs::path copied = dir_ / "copied";
  const std::vector<Tool> tools{
      {{KML_STRIP, "-o", stripped.string(), marked.string()}, stripped},
      {{KML_STRIP, "--strip-debug", "-o", debugStripped.string(),
        marked.string()},
       debugStripped},
      {{KML_OBJCOPY, marked.string(), copied.string()}, copied}};
  for (const Tool &tool : tools) {
    const RunResult done = run(tool.argv);
    ASSERT_EQ(done.exitCode, 0) << tool.argv[0] << ": " << done.err;
    const RunResult got = run({tool.result.string(), "--notes"});
    EXPECT_EQ(got.exitCode, want.exitCode) << tool.result;
    EXPECT_EQ(got.out, want.out) << tool.result;
    const RunResult inspect = kml({"inspect", tool.result.string()});
    EXPECT_NE(inspect.out.find("0x1 (enable)"), std::string::npos)
        << tool.result << ": " << inspect.out << inspect.err;
  }
}

TEST(NoLibc, MarkedProgramRuns) {
  TempDir dir;
  const fs::path marked = dir / "marked";
  const fs::path input = program("nolibc-static");
  ASSERT_EQ(kml({"mark", input.string(), "-o", marked.string()}).exitCode, 0);
  for (const fs::path &prog : {input, marked}) {
    const RunResult got = run({prog.string()});
    EXPECT_EQ(got.exitCode, 5) << prog;
    EXPECT_EQ(got.out, "nolibc\n") << prog;
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, CliTest,
                         ::testing::ValuesIn(runnablePrograms()),
                         [](const auto &info) {
                           return paramName(info.param);
                         });

} // namespace
} // namespace kml::test
