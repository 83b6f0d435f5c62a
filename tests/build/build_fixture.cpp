#include "build_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>

namespace kml::test {
namespace {

std::string currentPath() {
  const char *path = std::getenv("PATH");
  return path != nullptr ? path : "";
}

} // namespace

ScopedEnv::ScopedEnv(std::string name, const std::string &value)
    : name_(std::move(name)) {
  if (const char *old = std::getenv(name_.c_str())) {
    had_ = true;
    old_ = old;
  }
  ::setenv(name_.c_str(), value.c_str(), 1);
}

ScopedEnv::~ScopedEnv() {
  if (had_) {
    ::setenv(name_.c_str(), old_.c_str(), 1);
  } else {
    ::unsetenv(name_.c_str());
  }
}

BuildTest::BuildTest()
    : config_("XDG_CONFIG_HOME", (dir_ / "config").string()),
      tmp_("TMPDIR", (dir_ / "tmp").string()),
      path_("PATH", std::string(KML_VERIFY_DIR) + ":" + currentPath()) {
  fs::create_directories(tmpDir());
  const RunResult key = kml({"key", "new", "test", "--dir", keyDir().string()});
  if (key.exitCode != 0) {
    throw std::runtime_error("kml key new failed: " + key.err);
  }
}

fs::path BuildTest::source(const std::string &name,
                           const std::string &text) const {
  const fs::path path = dir_ / name;
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

RunResult BuildTest::build(const std::vector<std::string> &args,
                           const fs::path &out) const {
  std::vector<std::string> argv{
      "build",           "-o",         out.string(), "--key-dir",
      keyDir().string(), "--key-name", "test"};
  // Options first, then the sources and anything after `--`.
  argv.insert(argv.end(), args.begin(), args.end());
  return kml(argv);
}

std::string BuildTest::verifyOutcome(const fs::path &out) const {
  const RunResult result =
      kml({"verify", out.string(), "--cert", cert().string(), "--key-dir",
           (dir_ / "no-keys").string(), "--min-assurance", "verified"});
  if (result.exitCode == 0 &&
      result.out.find(": allowed: assurance verified") != std::string::npos) {
    return "allowed";
  }
  return "exit " + std::to_string(result.exitCode) + ": " + result.out +
         result.err;
}

std::vector<std::string> ruleIds(const std::string &text) {
  static const std::regex kId(R"(\[(KML-[RB][0-9]+)\])");
  std::set<std::string> ids;
  for (std::sregex_iterator it(text.begin(), text.end(), kId), end; it != end;
       ++it) {
    ids.insert((*it)[1].str());
  }
  return {ids.begin(), ids.end()};
}

} // namespace kml::test
