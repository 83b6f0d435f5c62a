// The man pages the build wrote (kml --man-pages): one per command and
// kml(1), made from the table's text, and each renders without a warning
// from groff.

#include "kml_process.hpp"

#include "command.hpp"
#include "kml/testing/temp_dir.hpp"
#include "kml/version.hpp"
#include "man_page.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <string>

namespace kml::clitest {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string &text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::set<std::string> expectedFiles() {
  std::set<std::string> files{manPageFileName(nullptr)};
  for (const Command &command : allCommands()) {
    files.insert(manPageFileName(&command));
  }
  return files;
}

TEST(ManPages, OnePerCommandAndOneForKml) {
  std::set<std::string> found;
  for (const auto &entry : fs::directory_iterator(KML_MAN_DIR)) {
    found.insert(entry.path().filename().string());
  }
  EXPECT_EQ(found, expectedFiles());
}

TEST(ManPages, AreTheOnesTheTableMakes) {
  for (const Command &command : allCommands()) {
    const std::string page =
        readFile((fs::path(KML_MAN_DIR) / manPageFileName(&command)).string());
    EXPECT_EQ(page, commandManPage(command, kVersion)) << command.name;
    for (const std::string_view section :
         {".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS",
          ".SH EXIT STATUS", ".SH EXAMPLES", ".SH SEE ALSO"}) {
      EXPECT_TRUE(contains(page, section)) << command.name << section;
    }
  }
  const std::string overview =
      readFile((fs::path(KML_MAN_DIR) / "kml.1").string());
  EXPECT_EQ(overview, overviewManPage(kVersion));
  for (const Command &command : allCommands()) {
    EXPECT_TRUE(contains(overview, ".BR kml\\-" + std::string(command.name)))
        << command.name;
  }
}

TEST(ManPages, RoffIsEscaped) {
  static constexpr std::array kOptions{
      OptionHelp{"--dot", ".starts a line; a \\ backslash"}};
  static constexpr std::array kExits{ExitHelp{0, "ok"}};
  static constexpr std::array kExamples{ExampleHelp{"kml x -y", "z"}};
  const Command command{
      "x", "x -y", "summary", nullptr,
      CommandHelp{"'quoted first.\n\nsecond.", kOptions, kExits, kExamples}};
  const std::string page = commandManPage(command, "1.0");
  EXPECT_TRUE(contains(page, "\n\\&'quoted first.\n.PP\nsecond.\n")) << page;
  EXPECT_TRUE(contains(page, "\\fB\\-\\-dot\\fR\n\\&.starts a line; a \\e "
                             "backslash\n"))
      << page;
  EXPECT_TRUE(contains(page, "\\fBkml\\fR x \\-y\n")) << page;
}

// groff's complaints about a page: every warning on (-ww), output thrown
// away (-z).
std::string groffWarnings(const fs::path &page, const std::string &device) {
  const testing::TempDir dir;
  const std::string err = (dir / "err").string();
  const std::string command = std::string(KML_GROFF) + " -man -ww -z -T" +
                              device + " '" + page.string() + "' 2>'" + err +
                              "'";
  const int status = std::system(command.c_str()); // NOLINT(cert-env33-c)
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "groff failed: " + readFile(err);
  }
  return readFile(err);
}

TEST(ManPages, RenderWithoutWarnings) {
  if (std::string_view(KML_GROFF).empty()) {
    GTEST_SKIP() << "no groff (Debian package groff-base: make deps)";
  }
  for (const std::string &file : expectedFiles()) {
    const fs::path page = fs::path(KML_MAN_DIR) / file;
    for (const std::string device : {"utf8", "ps"}) {
      EXPECT_EQ(groffWarnings(page, device), "") << file << " -T" << device;
    }
  }
}

} // namespace
} // namespace kml::clitest
