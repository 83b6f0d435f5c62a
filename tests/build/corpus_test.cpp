// The verifier's conformance corpus (tests/verifier/corpus) through
// kml build: every accepted file becomes a signed program that kml verify
// allows at assurance verified; every rejected file fails with exactly the
// rule IDs of its "// EXPECT:" header and writes nothing.
//
// Files whose header asks for something kml build does not do are left
// out: "// ARGS:" (kml-verify options such as --stack-limit) and
// "// REQUIRED-FLAGS: no" (kml build always compiles with them). "// FLAGS:"
// go after `--`, as run_case.cmake puts them after the required flags. A
// library-only file (no main) is linked with a stub main.
//
// The whole corpus (175 files that kml build can run) takes about 4.5
// minutes on the 2-core build machine, so by default only the first two
// files of each group run (a001_, ..., a015_, a_, r001_, ..., r_: every
// rule accepted and rejected, about 60 builds, 1 to 1.5 minutes).
// KML_BUILD_FULL_CORPUS=1 in the environment runs every file.

#include "build_fixture.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

namespace kml::test {
namespace {

struct CorpusCase {
  std::string name;                  // the file name
  std::vector<std::string> expected; // rule IDs; empty: accept
  std::vector<std::string> flags;
  bool hasMain = false;
};

// GoogleTest names a failing case by its file.
void PrintTo(const CorpusCase &c, std::ostream *out) { *out << c.name; }

std::vector<std::string> words(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) {
    out.push_back(word);
  }
  return out;
}

// The case of a corpus file, or nullopt when kml build cannot run it.
std::optional<CorpusCase> readCase(const fs::path &file) {
  std::ifstream in(file);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  CorpusCase c;
  c.name = file.filename().string();
  std::istringstream lines(text);
  bool haveExpect = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("// EXPECT:")) {
      haveExpect = true;
      const std::vector<std::string> ids = words(line.substr(10));
      if (ids != std::vector<std::string>{"accept"}) {
        c.expected = ids;
      }
    } else if (line.starts_with("// FLAGS:")) {
      const std::vector<std::string> flags = words(line.substr(9));
      c.flags.insert(c.flags.end(), flags.begin(), flags.end());
    } else if (line.starts_with("// ARGS:") ||
               line.starts_with("// REQUIRED-FLAGS: no")) {
      return std::nullopt;
    }
  }
  if (!haveExpect) {
    return std::nullopt;
  }
  std::ranges::sort(c.expected);
  c.expected.erase(std::ranges::unique(c.expected).begin(), c.expected.end());
  static const std::regex kMain(R"(\bmain\s*\()");
  c.hasMain = std::regex_search(text, kMain);
  return c;
}

// "a001", "r_": the part of the name before the first '_'.
std::string groupOf(const std::string &name) {
  return name.substr(0, name.find('_'));
}

// The first two cases of each group, unless the full corpus is asked for.
std::vector<CorpusCase> representative(std::vector<CorpusCase> cases) {
  const char *full = std::getenv("KML_BUILD_FULL_CORPUS");
  if (full != nullptr && std::string_view(full) == "1") {
    return cases;
  }
  std::vector<CorpusCase> chosen;
  std::map<std::string, int> taken;
  for (CorpusCase &c : cases) {
    if (++taken[groupOf(c.name)] <= 2) {
      chosen.push_back(std::move(c));
    }
  }
  return chosen;
}

std::vector<CorpusCase> corpusCases() {
  std::vector<CorpusCase> cases;
  for (const auto &entry : fs::directory_iterator(KML_CORPUS_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".c" && ext != ".cpp") {
      continue;
    }
    if (auto c = readCase(entry.path())) {
      cases.push_back(std::move(*c));
    }
  }
  std::ranges::sort(cases, {}, &CorpusCase::name);
  return representative(std::move(cases));
}

class Corpus : public BuildTest,
               public ::testing::WithParamInterface<CorpusCase> {};

TEST_P(Corpus, BuildsOrRefuses) {
  const CorpusCase &c = GetParam();
  const fs::path out = dir_ / "program";
  std::vector<std::string> args{(fs::path(KML_CORPUS_DIR) / c.name).string()};
  if (!c.hasMain && c.expected.empty()) {
    args.push_back(
        source("stub_main.c", "int main(void) { return 0; }\n").string());
  }
  if (!c.flags.empty()) {
    args.emplace_back("--");
    args.insert(args.end(), c.flags.begin(), c.flags.end());
  }
  const RunResult result = build(args, out);
  if (c.expected.empty()) {
    ASSERT_EQ(result.exitCode, 0) << result.err;
    EXPECT_EQ(verifyOutcome(out), "allowed");
  } else {
    EXPECT_EQ(result.exitCode, 1) << result.err;
    EXPECT_EQ(ruleIds(result.err), c.expected) << result.err;
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_TRUE(listDir(tmpDir()).empty());
}

std::string caseName(const ::testing::TestParamInfo<CorpusCase> &info) {
  std::string name = info.param.name;
  std::ranges::replace_if(
      name,
      [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) == 0; },
      '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Verifier, Corpus, ::testing::ValuesIn(corpusCases()),
                         caseName);

} // namespace
} // namespace kml::test
