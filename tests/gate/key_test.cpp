// `kml key new`, `list` and `enroll`.

#include "gate_fixture.hpp"

#include <sys/stat.h>

#include <cctype>

namespace kml::test {
namespace {

using KeyTest = GateTest;

mode_t modeOf(const fs::path &path) {
  struct stat st = {};
  if (::stat(path.c_str(), &st) != 0) {
    return 0;
  }
  return st.st_mode & 07777;
}

TEST_F(KeyTest, NewMakesAPrivateKeyAndACertificate) {
  const RunResult result = kml({"key", "new"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(modeOf(keyDir()), 0700U);
  EXPECT_EQ(modeOf(keyDir() / "default.key"), 0600U);
  EXPECT_TRUE(fs::exists(keyDir() / "default.pem"));

  // What the certificate says, in openssl's words.
  const RunResult text =
      run({KML_OPENSSL, "x509", "-in", (keyDir() / "default.pem").string(),
           "-noout", "-text"});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_NE(text.out.find("CN = kml development key default"),
            std::string::npos);
  EXPECT_NE(text.out.find("CA:FALSE"), std::string::npos);
  EXPECT_NE(text.out.find("Digital Signature"), std::string::npos);
  EXPECT_NE(text.out.find("Subject Key Identifier"), std::string::npos);
  EXPECT_NE(text.out.find("Public-Key: (2048 bit)"), std::string::npos);
}

TEST_F(KeyTest, NewRefusesToOverwrite) {
  ASSERT_EQ(kml({"key", "new", "mine"}).exitCode, 0);
  const FileSnapshot key = snapshot(keyDir() / "mine.key");
  const FileSnapshot cert = snapshot(keyDir() / "mine.pem");
  const RunResult again = kml({"key", "new", "mine"});
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_NE(again.err.find("not overwriting"), std::string::npos) << again.err;
  EXPECT_EQ(snapshot(keyDir() / "mine.key"), key);
  EXPECT_EQ(snapshot(keyDir() / "mine.pem"), cert);
  // Half a key (only the certificate) is not overwritten either.
  fs::remove(keyDir() / "mine.key");
  EXPECT_EQ(kml({"key", "new", "mine"}).exitCode, 1);
  EXPECT_FALSE(fs::exists(keyDir() / "mine.key"));
}

TEST_F(KeyTest, NewRefusesABadName) {
  EXPECT_EQ(kml({"key", "new", "a/b"}).exitCode, 1);
  EXPECT_EQ(kml({"key", "new", ".hidden"}).exitCode, 1);
}

TEST_F(KeyTest, ListShowsEachKey) {
  const fs::path dir = dir_ / "keys";
  ASSERT_EQ(kml({"key", "new", "beta", "--dir", dir.string()}).exitCode, 0);
  ASSERT_EQ(kml({"key", "new", "alpha", "--dir", dir.string()}).exitCode, 0);
  const RunResult list = kml({"key", "list", "--dir", dir.string()});
  ASSERT_EQ(list.exitCode, 0) << list.err;
  const RunResult fingerprint =
      run({KML_OPENSSL, "x509", "-in", (dir / "alpha.pem").string(), "-noout",
           "-fingerprint", "-sha256"});
  std::string hex;
  for (const char c : fingerprint.out.substr(fingerprint.out.find('=') + 1)) {
    if (std::isxdigit(static_cast<unsigned char>(c)) != 0) {
      hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  const std::string first = list.out.substr(0, list.out.find('\n'));
  EXPECT_EQ(first.find("alpha  CN=kml development key alpha  sha256:" + hex +
                       "  expires "),
            0U)
      << list.out;
  EXPECT_NE(list.out.find("\nbeta  CN=kml development key beta"),
            std::string::npos);
}

TEST_F(KeyTest, EnrollIntoAMissingKeyringSaysSo) {
  ASSERT_EQ(kml({"key", "new"}).exitCode, 0);
  const RunResult missing =
      kml({"key", "enroll", "default", "--keyring", ".kml-gate-test-none"});
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_EQ(missing.err, "kml key enroll: default: no keyring "
                         "'.kml-gate-test-none' in /proc/keys\n");
  // The default keyring is kml.ko's, which this host does not load.
  const fs::path cert = keyDir() / "default.pem";
  const RunResult kmlRing = kml({"key", "enroll", cert.string()});
  if (kmlRing.exitCode == 0) {
    GTEST_SKIP() << "a .kml keyring exists here";
  }
  EXPECT_EQ(kmlRing.err, "kml key enroll: " + cert.string() +
                             ": no keyring '.kml' in /proc/keys: is kml.ko "
                             "loaded?\n");
}

TEST_F(KeyTest, EnrollRefusesWhatIsNotACertificate) {
  const fs::path junk = dir_ / "junk.pem";
  writeBytes(junk, std::vector<std::byte>(64, std::byte{'j'}));
  const RunResult result = kml({"key", "enroll", junk.string()});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("not a PEM or DER X.509 certificate"),
            std::string::npos)
      << result.err;
}

} // namespace
} // namespace kml::test
