// The bypass flag (KML_NOTE_F_BYPASS): `kml mark --bypass` and
// `kml bypass on|off FILE` set and clear it, every other flag (known or
// not) stays as it was, and bad input is refused with the input untouched.

#include "marker_of.hpp"
#include "support.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/marker_edit.hpp"

#include <gtest/gtest.h>

namespace kml::test {
namespace {

constexpr std::uint32_t kEnable = KML_NOTE_F_ENABLE;
constexpr std::uint32_t kBypass = KML_NOTE_F_BYPASS;
// A flag no kml knows yet: it must survive every change of another flag.
constexpr std::uint32_t kFuture = 1U << 5;

std::uint32_t markerFlags(const fs::path &file) {
  return markerOf(readBytes(file)).desc.flags;
}

std::uint32_t markerFlags(const std::vector<std::byte> &bytes) {
  return markerOf(bytes).desc.flags;
}

// The file's bytes with the marker's flags word overwritten.
std::vector<std::byte> withRawFlags(std::vector<std::byte> bytes,
                                    std::uint32_t flags) {
  const std::uint64_t at = markerOf(bytes).descOffset + 4;
  store(bytes, at, flags);
  return bytes;
}

// ---- library ----

TEST(BypassLibrary, NewMarkerGetsTheRequestedFlags) {
  const ElfImage plain(readBytes(program("glibc-static")));
  const auto bytes = withMarker(plain, FlagChange{.set = kEnable | kBypass});
  const ElfImage marked(bytes);
  ASSERT_TRUE(marked.marker().has_value());
  EXPECT_EQ(markerOf(marked).desc.flags, kEnable | kBypass);
  EXPECT_EQ(markerOf(marked).verdict(), KML_NOTE_RUN_KML);
}

TEST(BypassLibrary, SetAndClearChangeOnlyTheFlagsWord) {
  const auto enabled = withMarker(ElfImage(readBytes(program("glibc-static"))),
                                  flagChange(kEnable, true));
  const ElfImage image(enabled);
  const auto bypassed =
      withMarkerFlags(image, flagChange(kBypass, /*enable=*/true));
  EXPECT_EQ(markerFlags(bypassed), kEnable | kBypass);
  EXPECT_EQ(differingOffsets(enabled, bypassed),
            std::vector<std::size_t>{markerOf(image).descOffset + 4});
  EXPECT_EQ(withMarkerFlags(ElfImage(bypassed), flagChange(kBypass, false)),
            enabled);
}

TEST(BypassLibrary, OtherFlagsArePreserved) {
  const auto marked = withMarker(ElfImage(readBytes(program("glibc-static"))),
                                 flagChange(kEnable, true));
  const auto future = withRawFlags(marked, kEnable | kFuture);
  const auto on = withMarkerFlags(ElfImage(future), flagChange(kBypass, true));
  EXPECT_EQ(markerFlags(on), kEnable | kBypass | kFuture);
  const auto off = withMarkerFlags(ElfImage(on), flagChange(kBypass, false));
  EXPECT_EQ(markerFlags(off), kEnable | kFuture);
  // And the enable flag leaves bypass alone.
  const auto disabled =
      withMarkerFlags(ElfImage(on), flagChange(kEnable, false));
  EXPECT_EQ(markerFlags(disabled), kBypass | kFuture);
}

TEST(BypassLibrary, BypassNeedsAMarker) {
  try {
    withMarkerFlags(ElfImage(readBytes(program("glibc-static"))),
                    flagChange(kBypass, true));
    FAIL() << "expected ElfError";
  } catch (const ElfError &error) {
    EXPECT_EQ(error.kind(), ElfErrorKind::NoMarker);
  }
}

// ---- kml mark --bypass, kml bypass on|off ----

class BypassCli : public ::testing::Test {
protected:
  fs::path copy(const std::string &name = "prog") {
    fs::path to = dir_ / name;
    copyFile(program("glibc-static"), to);
    return to;
  }
  TempDir dir_;
};

TEST_F(BypassCli, MarkBypassSetsEnableAndBypass) {
  const fs::path file = copy();
  const RunResult mark = kml({"mark", "--bypass", file.string()});
  ASSERT_EQ(mark.exitCode, 0) << mark.err;
  EXPECT_EQ(markerFlags(file), kEnable | kBypass);
  const RunResult inspect = kml({"inspect", file.string()});
  EXPECT_NE(inspect.out.find("0x3 (enable, bypass)"), std::string::npos)
      << inspect.out;
  EXPECT_NE(inspect.out.find("runs in kernel mode"), std::string::npos);
  // The marked program still runs on this kernel, which ignores the note.
  EXPECT_EQ(run({file.string(), "--notes"}).out,
            "kml note in memory: version=1 flags=0x3\n");
}

TEST_F(BypassCli, MarkBypassOnAnExistingMarker) {
  const fs::path file = copy();
  ASSERT_EQ(kml({"mark", file.string(), "--disable"}).exitCode, 0);
  const RunResult mark = kml({"mark", file.string(), "--bypass"});
  ASSERT_EQ(mark.exitCode, 0) << mark.err;
  EXPECT_EQ(markerFlags(file), kEnable | kBypass);
}

TEST_F(BypassCli, MarkWithoutBypassKeepsIt) {
  const fs::path file = copy();
  ASSERT_EQ(kml({"mark", "--bypass", file.string()}).exitCode, 0);
  const FileSnapshot before = snapshot(file);
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(file), before) << "re-marking must not drop bypass";
  ASSERT_EQ(kml({"mark", file.string(), "--disable"}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kBypass);
}

TEST_F(BypassCli, OnAndOffFlipTheBitOnly) {
  const fs::path file = copy();
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  const FileSnapshot marked = snapshot(file);
  const std::uint64_t flagsOffset = markerOf(marked.bytes).descOffset + 4;

  const RunResult on = kml({"bypass", "on", file.string()});
  ASSERT_EQ(on.exitCode, 0) << on.err;
  EXPECT_EQ(on.out, "");
  const FileSnapshot bypassed = snapshot(file);
  EXPECT_EQ(bypassed.mode, marked.mode);
  EXPECT_EQ(differingOffsets(marked.bytes, bypassed.bytes),
            std::vector<std::size_t>{flagsOffset});
  EXPECT_EQ(markerFlags(file), kEnable | kBypass);

  ASSERT_EQ(kml({"bypass", "on", file.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(file), bypassed) << "on twice: not even rewritten";

  ASSERT_EQ(kml({"bypass", "off", file.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(file).bytes, marked.bytes);
  EXPECT_EQ(listDir(dir_.path()), std::vector<std::string>{"prog"})
      << "no temporary file may be left behind";
}

TEST_F(BypassCli, BypassAndEnableAreIndependent) {
  const fs::path file = copy();
  ASSERT_EQ(kml({"mark", file.string(), "--disable"}).exitCode, 0);
  ASSERT_EQ(kml({"bypass", "on", file.string()}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kBypass) << "bypass does not enable";
  ASSERT_EQ(kml({"enable", file.string()}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kEnable | kBypass);
  ASSERT_EQ(kml({"disable", file.string()}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kBypass) << "disable keeps bypass";
  ASSERT_EQ(kml({"enable", file.string()}).exitCode, 0);
  ASSERT_EQ(kml({"bypass", "off", file.string()}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kEnable) << "bypass off keeps enable";
}

TEST_F(BypassCli, UnknownFlagsSurvive) {
  const fs::path file = copy();
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  writeBytes(file, withRawFlags(readBytes(file), kEnable | kFuture));
  ASSERT_EQ(kml({"bypass", "on", file.string()}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kEnable | kBypass | kFuture);
  ASSERT_EQ(kml({"bypass", "off", file.string()}).exitCode, 0);
  EXPECT_EQ(markerFlags(file), kEnable | kFuture);
}

TEST_F(BypassCli, UnmarkedFileIsRefused) {
  const fs::path file = copy();
  const FileSnapshot before = snapshot(file);
  const RunResult got = kml({"bypass", "on", file.string()});
  EXPECT_EQ(got.exitCode, 1);
  EXPECT_EQ(got.err, "kml bypass: " + file.string() +
                         ": the file has no KML marker: add one with 'kml "
                         "mark'\n");
  EXPECT_EQ(snapshot(file), before);
  EXPECT_EQ(listDir(dir_.path()), std::vector<std::string>{"prog"});
}

TEST_F(BypassCli, MissingFileIsRefused) {
  const fs::path missing = dir_ / "missing";
  const RunResult got = kml({"bypass", "off", missing.string()});
  EXPECT_EQ(got.exitCode, 66);
  EXPECT_EQ(got.err.rfind("kml bypass: " + missing.string() + ": ", 0), 0U)
      << got.err;
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(BypassCli, BadUsage) {
  const fs::path file = copy();
  ASSERT_EQ(kml({"mark", file.string()}).exitCode, 0);
  const FileSnapshot before = snapshot(file);
  const std::vector<std::vector<std::string>> cases{
      {"bypass"},
      {"bypass", "on"},
      {"bypass", file.string(), "on"},
      {"bypass", "yes", file.string()},
      {"bypass", "on", file.string(), file.string()},
      {"bypass", "on", "--force"}};
  for (const auto &args : cases) {
    const RunResult got = kml(args);
    EXPECT_EQ(got.exitCode, 64) << args.size();
    EXPECT_NE(got.err.find("usage: kml bypass on|off FILE"), std::string::npos)
        << got.err;
  }
  EXPECT_EQ(snapshot(file), before);
}

} // namespace
} // namespace kml::test
