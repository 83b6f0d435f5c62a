// `kml sign` then `kml verify`: allowed, and each refusal class with the
// kernel's reason name; failures leave no output; re-signing replaces.

#include "gate_fixture.hpp"

#include "kml/elf_image.hpp"

#include <linux/kml_manifest.h>

#include <arpa/inet.h>
#include <elf.h>

namespace kml::test {
namespace {

class SignVerifyTest : public GateTest {
protected:
  void SetUp() override {
    GateTest::SetUp();
    prog_ = copyProgram("glibc-static", "prog");
  }

  // Signs prog_ and returns its bytes.
  std::vector<std::byte>
  signedProgram(const std::vector<std::string> &args = {}) {
    signOk(prog_, args);
    return readBytes(prog_);
  }

  // The verdict on bytes written to a new file.
  std::string verdictOn(const std::vector<std::byte> &bytes,
                        const std::vector<std::string> &args = {}) {
    const fs::path file = dir_ / "changed";
    writeBytes(file, bytes);
    return outcome(verify(file, args));
  }

  // The file offset of a byte inside the first PT_LOAD with all of flags.
  static std::size_t segmentByte(const std::vector<std::byte> &bytes,
                                 std::uint32_t flags) {
    const ElfImage image(bytes);
    for (const Elf64_Phdr &ph : image.programHeaders()) {
      if (ph.p_type == PT_LOAD && (ph.p_flags & flags) == flags &&
          ph.p_filesz > 16) {
        return ph.p_offset + ph.p_filesz / 2;
      }
    }
    throw std::runtime_error("no such segment");
  }

  fs::path prog_;
};

TEST_F(SignVerifyTest, SignThenVerifyIsAllowed) {
  const auto before = readBytes(prog_);
  const RunResult sign = kml({"sign", prog_.string()});
  ASSERT_EQ(sign.exitCode, 0) << sign.err;
  // The first signature makes the development key, and says where.
  EXPECT_NE(sign.err.find("created the development key"), std::string::npos)
      << sign.err;
  EXPECT_TRUE(fs::exists(keyDir() / "default.pem"));
  const auto after = readBytes(prog_);
  ASSERT_GT(after.size(), before.size());
  EXPECT_TRUE(std::equal(before.begin(), before.end(), after.begin()))
      << "the program bytes must stay as they were";

  const RunResult result = verify(prog_);
  EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
  EXPECT_EQ(result.out, prog_.string() +
                            ": allowed: assurance trusted, generation 1, "
                            "signed by CN=kml development key default\n");
}

TEST_F(SignVerifyTest, UnsignedIsRefused) {
  const RunResult result = verify(prog_);
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(result.out, prog_.string() +
                            ": refused: unsigned: no signed manifest covers "
                            "the file (no appended signature)\n");
}

TEST_F(SignVerifyTest, AnotherKeyIsUnknown) {
  const fs::path otherKeys = dir_ / "other-keys";
  ASSERT_EQ(kml({"key", "new", "other", "--dir", otherKeys.string()}).exitCode,
            0);
  ASSERT_EQ(kml({"key", "new"}).exitCode, 0); // the trusted default key
  signOk(prog_, {"--key-dir", otherKeys.string(), "--key-name", "other"});
  EXPECT_EQ(outcome(verify(prog_)), "unknown-key");
  // Trusting it explicitly makes it allowed.
  EXPECT_EQ(
      outcome(verify(prog_, {"--cert", (otherKeys / "other.pem").string()})),
      "allowed");
}

TEST_F(SignVerifyTest, TamperedCodeByte) {
  auto bytes = signedProgram();
  bytes[segmentByte(bytes, PF_R | PF_X)] ^= std::byte{0x01};
  EXPECT_EQ(verdictOn(bytes), "tampered");
}

TEST_F(SignVerifyTest, TamperedDataByte) {
  auto bytes = signedProgram();
  bytes[segmentByte(bytes, PF_R | PF_W)] ^= std::byte{0x80};
  EXPECT_EQ(verdictOn(bytes), "tampered");
}

TEST_F(SignVerifyTest, TamperedMarkerNoteByte) {
  ASSERT_EQ(kml({"mark", prog_.string()}).exitCode, 0);
  auto bytes = signedProgram();
  const auto marker = ElfImage(bytes).marker();
  if (!marker) {
    FAIL() << "the signed program has no marker";
  }
  // A reserved word of the note: the marker means the same, the bytes not.
  bytes[marker->descOffset + 8] ^= std::byte{0x01};
  EXPECT_EQ(verdictOn(bytes), "tampered");
}

TEST_F(SignVerifyTest, TamperedManifestByteInsideThePkcs7) {
  auto bytes = signedProgram();
  const SignedLayout layout = layoutOf(bytes);
  const std::size_t manifest =
      findBytes(bytes, KML_MANIFEST_MAGIC, layout.pkcs7Offset);
  ASSERT_NE(manifest, std::string::npos);
  // The generation, low byte: 1 becomes 0x81.
  bytes[manifest + 16] ^= std::byte{0x80};
  EXPECT_EQ(verdictOn(bytes), "bad-signature");
}

TEST_F(SignVerifyTest, TruncatedSignature) {
  auto bytes = signedProgram();
  const SignedLayout layout = layoutOf(bytes);
  // Drop the PKCS#7's last 16 bytes and make the trailer say so.
  std::vector<std::byte> cut(bytes.begin(), at(bytes, layout.infoOffset - 16));
  auto info = load<kml_sig_info>(bytes, layout.infoOffset);
  info.sig_len = htonl(static_cast<std::uint32_t>(layout.pkcs7Size - 16));
  const auto *raw = reinterpret_cast<const std::byte *>(&info);
  cut.insert(cut.end(), raw, raw + sizeof info);
  cut.insert(cut.end(), bytes.end() - KML_SIG_MAGIC_LEN, bytes.end());
  EXPECT_EQ(verdictOn(cut), "bad-signature");
  // Cut off at the end instead: no trailer left.
  std::vector<std::byte> shorter(bytes.begin(), bytes.end() - 10);
  EXPECT_EQ(verdictOn(shorter), "unsigned");
}

TEST_F(SignVerifyTest, SigLenLargerThanTheFile) {
  auto bytes = signedProgram();
  const SignedLayout layout = layoutOf(bytes);
  auto info = load<kml_sig_info>(bytes, layout.infoOffset);
  for (const std::uint32_t len :
       {static_cast<std::uint32_t>(bytes.size()),
        static_cast<std::uint32_t>(KML_SIG_MAX_LEN), 0xffffffffU, 0U}) {
    info.sig_len = htonl(len);
    store(bytes, layout.infoOffset, info);
    EXPECT_EQ(verdictOn(bytes), "bad-signature") << "sig_len " << len;
  }
}

TEST_F(SignVerifyTest, SignatureOfAnotherFile) {
  const fs::path other = copyProgram("nolibc-static", "other");
  signOk(other);
  const auto otherBytes = readBytes(other);
  const SignedLayout otherLayout = layoutOf(otherBytes);
  // This program, then the other's signature block and trailer.
  auto bytes = readBytes(prog_);
  bytes.insert(bytes.end(), at(otherBytes, otherLayout.pkcs7Offset),
               otherBytes.end());
  EXPECT_EQ(verdictOn(bytes), "tampered");
  // Same length as the other program: the digest, not the length, says no.
  std::vector<std::byte> sameLength(bytes.begin(),
                                    at(bytes, otherLayout.pkcs7Offset));
  sameLength.insert(sameLength.end(), at(otherBytes, otherLayout.pkcs7Offset),
                    otherBytes.end());
  EXPECT_EQ(verdictOn(sameLength), "tampered");
}

TEST_F(SignVerifyTest, BytesBetweenProgramAndSignature) {
  auto bytes = signedProgram();
  const SignedLayout layout = layoutOf(bytes);
  const std::vector<std::byte> extra(7, std::byte{0x90});
  bytes.insert(at(bytes, layout.pkcs7Offset), extra.begin(), extra.end());
  const fs::path file = dir_ / "inserted";
  writeBytes(file, bytes);
  const RunResult result = verify(file);
  EXPECT_EQ(outcome(result), "tampered");
  EXPECT_NE(result.out.find("7 bytes between"), std::string::npos)
      << result.out;
}

TEST_F(SignVerifyTest, OlderGenerationIsStale) {
  signOk(prog_, {"--generation", "4"});
  EXPECT_EQ(outcome(verify(prog_, {"--min-generation", "4"})), "allowed");
  EXPECT_EQ(outcome(verify(prog_, {"--min-generation", "5"})),
            "stale-generation");
}

TEST_F(SignVerifyTest, AssuranceBelowTheMinimum) {
  signOk(prog_);
  // The kernel's default minimum is verified.
  const RunResult byDefault = kml({"verify", prog_.string()});
  EXPECT_EQ(outcome(byDefault), "assurance-too-low");
  EXPECT_NE(byDefault.out.find("(trusted < verified)"), std::string::npos);
  EXPECT_EQ(
      outcome(kml({"verify", prog_.string(), "--min-assurance", "validated"})),
      "assurance-too-low");
}

TEST_F(SignVerifyTest, BypassFlagRoundTrip) {
  signOk(prog_, {"--bypass"});
  const RunResult json = kml({"inspect", "--json", prog_.string()});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  EXPECT_NE(json.out.find("\"flag_names\": [\"ring0\", \"bypass\"]"),
            std::string::npos)
      << json.out;
  EXPECT_EQ(outcome(verify(prog_)), "allowed");
  signOk(prog_);
  EXPECT_NE(kml({"inspect", "--json", prog_.string()})
                .out.find("\"flag_names\": [\"ring0\"]"),
            std::string::npos);
}

TEST_F(SignVerifyTest, ResigningReplacesTheSignature) {
  const auto original = readBytes(prog_);
  const auto once = signedProgram();
  const auto twice = signedProgram({"--generation", "2"});
  EXPECT_EQ(twice.size(), once.size()) << "the old signature must go";
  EXPECT_EQ(layoutOf(twice).pkcs7Offset, original.size());
  EXPECT_TRUE(std::equal(original.begin(), original.end(), twice.begin()));
  const RunResult result = verify(prog_);
  EXPECT_NE(result.out.find("generation 2"), std::string::npos) << result.out;
}

TEST_F(SignVerifyTest, OutputFileLeavesTheInputAlone) {
  const FileSnapshot before = snapshot(prog_);
  const fs::path out = dir_ / "signed";
  ASSERT_EQ(kml({"sign", prog_.string(), "-o", out.string()}).exitCode, 0);
  EXPECT_EQ(snapshot(prog_), before);
  EXPECT_EQ(fs::status(out).permissions(), fs::status(prog_).permissions());
  EXPECT_EQ(outcome(verify(out)), "allowed");
  EXPECT_EQ(outcome(verify(prog_)), "unsigned");
}

TEST_F(SignVerifyTest, FailureLeavesNoOutputAndTheInputUnchanged) {
  const fs::path out = dir_ / "signed";
  // Not an executable.
  const fs::path text = dir_ / "text";
  writeBytes(text, std::vector<std::byte>(100, std::byte{'x'}));
  const auto listed = listDir(dir_.path());
  const FileSnapshot textBefore = snapshot(text);
  const RunResult notElf = kml({"sign", text.string(), "-o", out.string()});
  EXPECT_EQ(notElf.exitCode, 65) << notElf.err;
  EXPECT_NE(notElf.err.find("kml sign: " + text.string() + ": "),
            std::string::npos)
      << notElf.err;
  EXPECT_EQ(snapshot(text), textBefore);

  // Verified without an attestation, in place and to -o.
  const FileSnapshot before = snapshot(prog_);
  const RunResult inPlace =
      kml({"sign", prog_.string(), "--assurance", "verified"});
  EXPECT_EQ(inPlace.exitCode, 1);
  EXPECT_NE(inPlace.err.find("needs --attestation"), std::string::npos)
      << inPlace.err;
  EXPECT_EQ(snapshot(prog_), before);
  const RunResult toOut =
      kml({"sign", prog_.string(), "-o", out.string(), "--key",
           "/nonexistent.key", "--cert", "/nonexistent.pem"});
  EXPECT_EQ(toOut.exitCode, 1);
  EXPECT_EQ(snapshot(prog_), before);
  EXPECT_FALSE(fs::exists(out));
  // No temporary file left behind either.
  EXPECT_EQ(listDir(dir_.path()), listed);
}

TEST_F(SignVerifyTest, ExplicitKeyAndCertificate) {
  ASSERT_EQ(kml({"key", "new", "ci", "--dir", (dir_ / "ci").string()}).exitCode,
            0);
  signOk(prog_, {"--key", (dir_ / "ci" / "ci.key").string(), "--cert",
                 (dir_ / "ci" / "ci.pem").string()});
  EXPECT_EQ(outcome(verify(prog_, {"--key-dir", (dir_ / "ci").string()})),
            "allowed");
  EXPECT_FALSE(fs::exists(keyDir() / "default.key"))
      << "an explicit key must not create the default one";
}

// kml run's loader is exec'd, so its signature approves a program; a
// library's approves mapping it only (the kernel refuses to exec it).
TEST_F(SignVerifyTest, SharedObjectsAreSignedInTheirRoles) {
  const std::pair<const char *, const char *> files[] = {
      {"/lib64/ld-linux-x86-64.so.2", "role:       program"},
      {"/lib/x86_64-linux-gnu/libc.so.6", "role:       library"}};
  for (const auto &[path, role] : files) {
    const fs::path copy = dir_ / fs::path(path).filename().string();
    fs::copy_file(path, copy);
    signOk(copy, {});
    const RunResult inspect = kml({"inspect", copy.string()});
    ASSERT_EQ(inspect.exitCode, 0) << inspect.err;
    EXPECT_NE(inspect.out.find(role), std::string::npos) << inspect.out;
    EXPECT_NE(inspect.out.find("(matches)"), std::string::npos);
    // kml verify answers as exec would: the loader runs, a library not.
    const std::string verdict = outcome(verify(copy));
    EXPECT_EQ(verdict, std::string(role).ends_with("program") ? "allowed"
                                                              : "bad-manifest")
        << path;
  }
  // A dynamic program is not signed this way: an approval list names it.
  const fs::path dynamic = dir_ / "true";
  fs::copy_file("/bin/true", dynamic);
  const RunResult sign = kml({"sign", dynamic.string()});
  EXPECT_EQ(sign.exitCode, 1);
  EXPECT_NE(sign.err.find("kml run"), std::string::npos) << sign.err;
}

TEST_F(SignVerifyTest, InspectShowsTheManifest) {
  signOk(prog_, {"--generation", "7"});
  const RunResult text = kml({"inspect", prog_.string()});
  ASSERT_EQ(text.exitCode, 0) << text.err;
  EXPECT_NE(text.out.find("signature: appended manifest"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("signer:     CN=kml development key default"),
            std::string::npos);
  EXPECT_NE(text.out.find("generation: 7"), std::string::npos);
  EXPECT_NE(text.out.find("assurance:  trusted"), std::string::npos);
  EXPECT_NE(text.out.find("(matches)"), std::string::npos);

  auto bytes = readBytes(prog_);
  bytes[segmentByte(bytes, PF_R | PF_X)] ^= std::byte{1};
  const fs::path changed = dir_ / "changed";
  writeBytes(changed, bytes);
  const RunResult json = kml({"inspect", "--json", changed.string()});
  EXPECT_NE(json.out.find("\"digest_matches\": false"), std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"generation\": 7"), std::string::npos);

  const RunResult unsignedJson =
      kml({"inspect", "--json", program("glibc-static").string()});
  EXPECT_NE(unsignedJson.out.find("\"signature\": {\"present\": false}"),
            std::string::npos)
      << unsignedJson.out;
}

} // namespace
} // namespace kml::test
