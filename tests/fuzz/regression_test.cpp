// The inputs on which the fuzzer found bugs, each run through the ASan
// and UBSan builds of the tools with the fuzzer's checks: the bug comes
// back as a failure here, whatever the mutator makes of the seeds later.

#include "kml/fuzz/elf_mutator.hpp"
#include "kml/testing/temp_dir.hpp"
#include "oracle.hpp"
#include "tool_run.hpp"

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>

namespace kml::fuzz {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::byte>;

Bytes readProgram(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  Bytes bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

// `program` with the sh_size of its section `name` set to `size`.
Bytes withSectionSize(const char *program, const char *name,
                      std::uint64_t size) {
  Bytes bytes = readProgram(program);
  const auto header = findSectionHeader(bytes, name);
  if (!header) {
    throw std::runtime_error(std::string(program) + " has no " + name);
  }
  std::memcpy(bytes.data() + *header + offsetof(Elf64_Shdr, sh_size), &size,
              sizeof size);
  return bytes;
}

struct Regression {
  std::string name;
  std::function<Bytes()> bytes;
  // Every refusal message must contain this ("" when nothing is refused
  // for certain).
  std::string refusal;
};

void PrintTo(const Regression &r, std::ostream *out) { *out << r.name; }

std::vector<Regression> regressions() {
  return {
      // kml rewrite: memcpy into the empty vector of a symbol table (and a
      // relocation table) shorter than one entry, UBSan "null pointer
      // passed as argument 1" (syscall-shim/src/elf_view.cpp).
      {"symtab_shorter_than_an_entry",
       [] {
         return withSectionSize(KML_FUZZ_PROGRAMS "/nolibc-static", ".symtab",
                                8);
       },
       ""},
      {"rela_shorter_than_an_entry",
       [] {
         return withSectionSize(KML_FUZZ_PROGRAMS "/glibc-static-pie-stripped",
                                ".rela.dyn", 7);
       },
       ""},
      // kml: "libelf cannot parse the file: " and no reason (a null
      // elf_errmsg()); kml-verify: "invalid `Elf' handle".
      {"unknown_elf_version",
       [] {
         Bytes bytes = readProgram(KML_FUZZ_PROGRAMS "/glibc-static");
         bytes[EI_VERSION] = std::byte{0};
         return bytes;
       },
       "ELF version"},
      // kml-verify named the file twice: "kml-verify: F: F: not an ELF".
      {"not_an_elf_file",
       [] {
         const std::string text = "#!/bin/sh\nexit 0\n";
         Bytes bytes(text.size());
         std::memcpy(bytes.data(), text.data(), text.size());
         return bytes;
       },
       "ELF"},
  };
}

class RegressionTest : public ::testing::TestWithParam<Regression> {};

TEST_P(RegressionTest, ToolsEndWell) {
  const Regression &regression = GetParam();
  kml::testing::TempDir dir;
  const fs::path capture = dir / "capture";
  const fs::path work = dir / "work";
  fs::create_directories(capture);
  fs::create_directories(work);
  const std::string input = work / "input";
  {
    const Bytes bytes = regression.bytes();
    std::ofstream(input, std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
  std::vector<Invocation> runs = {
      {{Tool::Kml, "inspect", input}, {KML_FUZZ_KML, "inspect", input}},
      {{Tool::Kml, "mark", input},
       {KML_FUZZ_KML, "mark", input, "-o", work / "mark.out"}},
      {{Tool::Kml, "rewrite", input},
       {KML_FUZZ_KML, "rewrite", input, "-o", work / "rewrite.out",
        "--quiet"}}};
  if (!std::string(KML_FUZZ_VERIFY).empty()) {
    runs.push_back({{Tool::Verify, "verify", input},
                    {KML_FUZZ_VERIFY, "--binary", input}});
  }
  setSanitizerDefaults();
  const auto results = runTogether(runs, capture, 120, true);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Command &command = runs[i].command;
    EXPECT_EQ(judge(command, results[i]), std::vector<std::string>{})
        << command.name << ": " << results[i].err;
    const std::string reason = refusalReason(command, results[i]);
    if (!reason.empty()) {
      EXPECT_NE(reason.find(regression.refusal), std::string::npos)
          << command.name << ": " << reason;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Found, RegressionTest,
                         ::testing::ValuesIn(regressions()),
                         [](const auto &info) { return info.param.name; });

} // namespace
} // namespace kml::fuzz
