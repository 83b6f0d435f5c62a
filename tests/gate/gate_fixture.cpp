#include "gate_fixture.hpp"

#include <linux/kml_manifest.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace kml::test {

void GateTest::SetUp() {
  if (const char *config = std::getenv("XDG_CONFIG_HOME")) {
    hadConfig_ = true;
    oldConfig_ = config;
  }
  ::setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
}

void GateTest::TearDown() {
  if (hadConfig_) {
    ::setenv("XDG_CONFIG_HOME", oldConfig_.c_str(), 1);
  } else {
    ::unsetenv("XDG_CONFIG_HOME");
  }
}

fs::path GateTest::keyDir() const {
  return dir_.path() / "config" / "kml" / "keys";
}

fs::path GateTest::copyProgram(const std::string &name, const std::string &as) {
  fs::path to = dir_ / as;
  copyFile(program(name), to);
  return to;
}

void GateTest::signOk(const fs::path &file,
                      const std::vector<std::string> &args) {
  std::vector<std::string> argv{"sign", file.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult result = kml(argv);
  ASSERT_EQ(result.exitCode, 0) << result.err;
}

RunResult GateTest::verify(const fs::path &file,
                           const std::vector<std::string> &args) {
  std::vector<std::string> argv{"verify", file.string(), "--min-assurance",
                                "trusted"};
  argv.insert(argv.end(), args.begin(), args.end());
  return kml(argv);
}

std::string GateTest::outcome(const RunResult &result) {
  const std::string &out = result.out;
  const std::size_t refused = out.find(": refused: ");
  if (result.exitCode == 1 && refused != std::string::npos) {
    const std::size_t start = refused + std::strlen(": refused: ");
    return out.substr(start, out.find(':', start) - start);
  }
  if (result.exitCode == 0 && out.find(": allowed: ") != std::string::npos) {
    return "allowed";
  }
  return "exit " + std::to_string(result.exitCode) + ": " + out + result.err;
}

SignedLayout layoutOf(const std::vector<std::byte> &file) {
  const std::size_t trailer = sizeof(kml_sig_info) + KML_SIG_MAGIC_LEN;
  if (file.size() < trailer) {
    throw std::runtime_error("too short to be signed");
  }
  SignedLayout layout;
  layout.infoOffset = file.size() - trailer;
  const auto info = load<kml_sig_info>(file, layout.infoOffset);
  layout.pkcs7Size = ntohl(info.sig_len);
  layout.pkcs7Offset = layout.infoOffset - layout.pkcs7Size;
  return layout;
}

std::size_t findBytes(const std::vector<std::byte> &bytes,
                      std::string_view needle, std::size_t from) {
  const auto *begin = reinterpret_cast<const char *>(bytes.data());
  const std::string_view haystack(begin, bytes.size());
  return haystack.find(needle, from);
}

} // namespace kml::test
