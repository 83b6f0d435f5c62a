// Assurance above trusted needs evidence: validated runs the binary
// validator (kml-verify --binary), verified needs kml-verify's attestation
// for exactly these bytes.

#include "gate_fixture.hpp"

#include "kml/gate/sha256.hpp"

#include <cstdlib>

namespace kml::test {
namespace {

// Puts dir first in PATH for as long as it lives.
class PathPrefix {
public:
  explicit PathPrefix(const std::string &dir) {
    const char *old = std::getenv("PATH");
    old_ = old != nullptr ? old : "";
    ::setenv("PATH", (dir + ":" + old_).c_str(), 1);
  }
  PathPrefix(const PathPrefix &) = delete;
  PathPrefix &operator=(const PathPrefix &) = delete;
  PathPrefix(PathPrefix &&) = delete;
  PathPrefix &operator=(PathPrefix &&) = delete;
  ~PathPrefix() { ::setenv("PATH", old_.c_str(), 1); }

private:
  std::string old_;
};

class AssuranceTest : public GateTest {
protected:
  void SetUp() override {
    GateTest::SetUp();
    prog_ = copyProgram("glibc-static", "prog");
  }

  // An attestation as verifier/src/core/Attestation.cpp writes it.
  fs::path attestation(const std::string &sha256, const std::string &result,
                       int units = 1) {
    static int made = 0;
    std::string tus;
    for (int i = 0; i < units; ++i) {
      tus += std::string(i != 0 ? ", " : "") +
             R"({"file": "prog.c", "findings": 0, "parsed": true})";
    }
    const std::string json =
        R"({"binary": {"file": "prog", "findings": 0, "sha256": ")" + sha256 +
        R"("}, "findings": 0, "format": "kml-verify-attestation", )"
        R"("format_version": 1, "hash": "sha256", "result": ")" +
        result + R"(", "ruleset_version": "2", "translation_units": [)" + tus +
        "]}\n";
    fs::path path = dir_ / ("attestation" + std::to_string(++made) + ".json");
    writeBytes(path, std::vector<std::byte>(
                         reinterpret_cast<const std::byte *>(json.data()),
                         reinterpret_cast<const std::byte *>(json.data()) +
                             json.size()));
    return path;
  }

  std::string programDigest() {
    return gate::hexDigits(gate::sha256(readBytes(prog_)));
  }

  fs::path prog_;
};

TEST_F(AssuranceTest, VerifiedWithAMatchingAttestation) {
  const fs::path att = attestation(programDigest(), "pass");
  signOk(prog_, {"--assurance", "verified", "--attestation", att.string()});
  const RunResult result = kml({"verify", prog_.string()});
  EXPECT_EQ(outcome(result), "allowed") << result.out;
  EXPECT_NE(result.out.find("assurance verified"), std::string::npos);
  const RunResult json = kml({"inspect", "--json", prog_.string()});
  EXPECT_NE(json.out.find("\"ruleset_version\": 2"), std::string::npos);
  EXPECT_NE(json.out.find("\"attestation_sha256\": \"" +
                          gate::hexDigits(gate::sha256(readBytes(att))) + "\""),
            std::string::npos)
      << json.out;
}

TEST_F(AssuranceTest, VerifiedRefusesAWrongAttestation) {
  const FileSnapshot before = snapshot(prog_);
  const std::string other(64, '0');
  for (const auto &[att, why] :
       {std::pair{attestation(other, "pass"), "attests the binary"},
        std::pair{attestation(programDigest(), "fail"), "did not pass"},
        std::pair{attestation(programDigest(), "pass", 0),
                  "no source was checked"}}) {
    const RunResult result = kml({"sign", prog_.string(), "--assurance",
                                  "verified", "--attestation", att.string()});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find(why), std::string::npos) << result.err;
    EXPECT_EQ(snapshot(prog_), before);
  }
}

TEST_F(AssuranceTest, ValidatedAgreesWithTheBinaryValidator) {
  const std::string verifyDir = KML_VERIFY_DIR;
  if (verifyDir.empty()) {
    GTEST_SKIP() << "kml-verify is not built here";
  }
  const PathPrefix path(verifyDir);
  for (const std::string name : {"glibc-static", "nolibc-static"}) {
    const fs::path prog = copyProgram(name, name);
    const FileSnapshot before = snapshot(prog);
    const RunResult validator =
        run({verifyDir + "/kml-verify", "--binary", prog.string()});
    ASSERT_TRUE(validator.exitCode == 0 || validator.exitCode == 1)
        << validator.err;
    const RunResult sign =
        kml({"sign", prog.string(), "--assurance", "validated"});
    if (validator.exitCode == 0) {
      EXPECT_EQ(sign.exitCode, 0) << sign.err;
      EXPECT_EQ(outcome(kml(
                    {"verify", prog.string(), "--min-assurance", "validated"})),
                "allowed");
    } else {
      EXPECT_EQ(sign.exitCode, 1) << name;
      EXPECT_NE(sign.err.find("reported findings"), std::string::npos)
          << sign.err;
      EXPECT_EQ(snapshot(prog), before);
    }
  }
}

// A stand-in kml-verify: exits with status, and with 3 when the file it is
// given still carries a signature (the validator must see the program
// only).
fs::path fakeValidator(const fs::path &dir, int status) {
  fs::create_directories(dir);
  const fs::path path = dir / "kml-verify";
  const std::string script =
      "#!/bin/sh\n"
      "[ \"$1\" = --binary ] || exit 4\n"
      "tail -c 24 \"$2\" | grep -q 'kml manifest appended' && exit 3\n"
      "exit " +
      std::to_string(status) + "\n";
  writeBytes(path, std::vector<std::byte>(
                       reinterpret_cast<const std::byte *>(script.data()),
                       reinterpret_cast<const std::byte *>(script.data()) +
                           script.size()));
  return dir;
}

TEST_F(AssuranceTest, ValidatedFollowsTheValidatorsExitStatus) {
  {
    const PathPrefix path(fakeValidator(dir_ / "pass", 0).string());
    signOk(prog_);
    // Re-signing as validated: the validator sees the program without the
    // old signature.
    signOk(prog_, {"--assurance", "validated"});
    EXPECT_EQ(outcome(kml(
                  {"verify", prog_.string(), "--min-assurance", "validated"})),
              "allowed");
  }
  const FileSnapshot before = snapshot(prog_);
  {
    const PathPrefix path(fakeValidator(dir_ / "findings", 1).string());
    const RunResult result =
        kml({"sign", prog_.string(), "--assurance", "validated"});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("reported findings"), std::string::npos)
        << result.err;
  }
  {
    const PathPrefix path(fakeValidator(dir_ / "broken", 2).string());
    const RunResult result =
        kml({"sign", prog_.string(), "--assurance", "validated"});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("failed (exit status 2)"), std::string::npos)
        << result.err;
  }
  EXPECT_EQ(snapshot(prog_), before);
}

TEST_F(AssuranceTest, ValidatedWithoutTheValidatorIsAnError) {
  const FileSnapshot before = snapshot(prog_);
  const char *old = std::getenv("PATH");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("PATH", (dir_ / "empty").c_str(), 1);
  const RunResult result =
      kml({"sign", prog_.string(), "--assurance", "validated"});
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_NE(result.err.find("cannot run kml-verify"), std::string::npos)
      << result.err;
  EXPECT_EQ(snapshot(prog_), before);
}

} // namespace
} // namespace kml::test
