// `kml verify --list` and `kml inspect` of an approval list: the kernel's
// checks of a list and of files against it, with its reason names.

#include "list_fixture.hpp"

#include "kml/gate/approval_list.hpp"
#include "kml/gate/certificate.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/sha256.hpp"

#include <linux/kml_manifest.h>

#include <algorithm>

namespace kml::test {
namespace {

class ListVerifyTest : public ListTest {
protected:
  void SetUp() override {
    ListTest::SetUp();
    list_ = signListOk(allInputs());
  }

  // A list signed with the default development key whose content is
  // manifest as given, sorted or not.
  fs::path signRaw(const gate::Manifest &manifest) {
    const gate::SigningKey key{
        gate::PrivateKey::fromFile(keyDir() / "default.key"),
        gate::Certificate::fromFile(keyDir() / "default.pem")};
    fs::path out = dir_ / "raw-list";
    writeBytes(out, gate::signContent(gate::encodeManifest(manifest), key));
    return out;
  }

  fs::path list_;
};

TEST_F(ListVerifyTest, EveryListedFileIsAllowed) {
  const RunResult result = verifyList(list_, allInputs());
  EXPECT_EQ(result.exitCode, 0) << result.out << result.err;
  const auto verdicts = outcomes(result);
  EXPECT_EQ(verdicts.at(list_.string()), "allowed");
  for (const fs::path &file : allInputs()) {
    EXPECT_EQ(verdicts.at(file.string()), "allowed") << file;
  }
  EXPECT_NE(result.out.find(list_.string() +
                            ": allowed: approval list of 6 entries, "
                            "generation 1, signed by CN=kml development key "
                            "default\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(loader_.string() +
                            ": allowed: interpreter, assurance trusted\n"),
            std::string::npos)
      << result.out;
}

TEST_F(ListVerifyTest, AModifiedCopyIsAnUnapprovedMapping) {
  auto bytes = readBytes(library_);
  bytes[bytes.size() / 2] ^= std::byte{0x01};
  const fs::path changed = dir_ / "changed.so";
  writeBytes(changed, bytes);
  const RunResult result = verifyList(list_, {library_, changed});
  EXPECT_EQ(result.exitCode, 1);
  const auto verdicts = outcomes(result);
  EXPECT_EQ(verdicts.at(library_.string()), "allowed");
  EXPECT_EQ(verdicts.at(changed.string()), "unapproved-mapping");
  EXPECT_NE(result.out.find(changed.string() +
                            ": refused: unapproved-mapping: a ring-0 task "
                            "mapped unapproved code executable (SHA-256 " +
                            gate::hexDigits(gate::sha256(bytes)) +
                            " is in no entry of the list)\n"),
            std::string::npos)
      << result.out;
}

TEST_F(ListVerifyTest, AFileWithBytesAppendedIsAnUnapprovedMapping) {
  auto bytes = readBytes(staticProgram_);
  bytes.push_back(std::byte{0});
  const fs::path longer = dir_ / "longer";
  writeBytes(longer, bytes);
  EXPECT_EQ(outcomes(verifyList(list_, {longer})).at(longer.string()),
            "unapproved-mapping");
}

TEST_F(ListVerifyTest, AnUnreadableFileIsReportedAndTheOthersStillChecked) {
  const fs::path missing = dir_ / "missing";
  const RunResult result = verifyList(list_, {missing, library_});
  EXPECT_EQ(result.exitCode, 66);
  EXPECT_NE(result.err.find(missing.string()), std::string::npos) << result.err;
  EXPECT_EQ(outcomes(result).at(library_.string()), "allowed");
}

TEST_F(ListVerifyTest, TheKernelsDefaultMinimumRefusesATrustedList) {
  const RunResult result =
      kml({"verify", "--list", list_.string(), library_.string()});
  EXPECT_EQ(result.exitCode, 1);
  EXPECT_EQ(outcomes(result).at(library_.string()), "assurance-too-low");
}

TEST_F(ListVerifyTest, AListBelowTheMinimumGenerationIsStale) {
  const fs::path list = signListOk({library_}, {"--generation", "3"});
  EXPECT_EQ(outcomes(verifyList(list, {}, {"--min-generation", "3"}))
                .at(list.string()),
            "allowed");
  const RunResult stale =
      verifyList(list, {library_}, {"--min-generation", "4"});
  EXPECT_EQ(stale.exitCode, 1);
  EXPECT_EQ(outcomes(stale).at(list.string()), "stale-generation");
  EXPECT_FALSE(outcomes(stale).contains(library_.string()))
      << "a list the kernel refuses approves nothing";
}

TEST_F(ListVerifyTest, AChangedByteOfTheListIsABadSignature) {
  auto bytes = readBytes(list_);
  // A byte of the first entry's digest, inside the signed content.
  const std::size_t manifest = findBytes(bytes, KML_MANIFEST_MAGIC);
  ASSERT_NE(manifest, std::string::npos);
  bytes[manifest + 32] ^= std::byte{0x01};
  const fs::path changed = dir_ / "changed-list";
  writeBytes(changed, bytes);
  EXPECT_EQ(outcomes(verifyList(changed, {library_})).at(changed.string()),
            "bad-signature");
}

TEST_F(ListVerifyTest, AListSignedByAnotherKeyIsAnUnknownKey) {
  const fs::path otherKeys = dir_ / "other-keys";
  ASSERT_EQ(kml({"key", "new", "other", "--dir", otherKeys.string()}).exitCode,
            0);
  const fs::path list = signListOk(
      {library_}, {"--key-dir", otherKeys.string(), "--key-name", "other"});
  EXPECT_EQ(outcomes(verifyList(list, {library_})).at(list.string()),
            "unknown-key");
  EXPECT_EQ(outcomes(verifyList(list, {library_},
                                {"--cert", (otherKeys / "other.pem").string()}))
                .at(library_.string()),
            "allowed");
}

TEST_F(ListVerifyTest, AnUnsortedListIsABadManifest) {
  gate::Manifest list = readList(list_);
  std::ranges::reverse(list.entries);
  const fs::path unsorted = signRaw(list);
  const RunResult result = verifyList(unsorted, {library_});
  EXPECT_EQ(outcomes(result).at(unsorted.string()), "bad-manifest");
  EXPECT_NE(result.out.find("not in increasing digest order"),
            std::string::npos)
      << result.out;
}

TEST_F(ListVerifyTest, AListWithADigestTwiceIsABadManifest) {
  gate::Manifest list = readList(list_);
  list.entries.insert(list.entries.begin(), list.entries.front());
  const fs::path twice = signRaw(list);
  EXPECT_EQ(outcomes(verifyList(twice, {library_})).at(twice.string()),
            "bad-manifest");
}

TEST_F(ListVerifyTest, ASignedProgramIsNoList) {
  // Small enough for the kernel to read as a list: bytes before the
  // PKCS#7 message make it no message of the format.
  const fs::path signedProgram = copyProgram("nolibc-static", "signed");
  signOk(signedProgram);
  ASSERT_LT(fs::file_size(signedProgram),
            static_cast<std::size_t>(KML_APPROVALS_MAX_LEN));
  const RunResult result = verifyList(signedProgram, {library_});
  EXPECT_EQ(outcomes(result).at(signedProgram.string()), "bad-signature");
}

TEST_F(ListVerifyTest, AFileLargerThanTheKernelReadsIsNoList) {
  ASSERT_GT(fs::file_size(staticProgram_),
            static_cast<std::size_t>(KML_APPROVALS_MAX_LEN));
  const RunResult result = verifyList(staticProgram_, {library_});
  EXPECT_EQ(result.exitCode, 65);
  EXPECT_NE(result.err.find("more than the kernel reads"), std::string::npos)
      << result.err;
}

TEST_F(ListVerifyTest, InspectShowsTheEntriesAndTheGeneration) {
  const fs::path list = signListOk({library_, loader_}, {"--generation", "5"});
  const gate::Manifest manifest = readList(list);
  const RunResult result = kml({"inspect", list.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  std::string expected =
      list.string() +
      ": approval list (not checked: see kml verify --list)\n"
      "  signer:     CN=kml development key default\n"
      "  generation: 5\n"
      "  size:       " +
      std::to_string(fs::file_size(list)) +
      " bytes\n"
      "  entries:    2\n"
      "    sha256                  length  role         assurance  flags\n";
  for (const gate::ManifestEntry &entry : manifest.entries) {
    const std::string length = std::to_string(entry.length);
    expected += "    " + gate::hexDigits(entry.digest).substr(0, 16) + "  " +
                std::string(12 - length.size(), ' ') + length + "  " +
                (entry.role == gate::Role::Library ? "library      "
                                                   : "interpreter  ") +
                "trusted    ring0\n";
  }
  EXPECT_EQ(result.out, expected);
  EXPECT_EQ(kml({"inspect", "--list", list.string()}).out, expected);
}

TEST_F(ListVerifyTest, InspectJsonHasTheWholeDigests) {
  const RunResult result = kml({"inspect", "--json", list_.string()});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.out.find(R"("approval_list": true)"), std::string::npos);
  EXPECT_NE(result.out.find(R"("generation": 1)"), std::string::npos);
  const std::string loader =
      R"({"sha256": ")" + gate::hexDigits(gate::sha256(readBytes(loader_))) +
      R"(", "length": )" + std::to_string(fs::file_size(loader_)) +
      ", \"role\": \"interpreter\", \"assurance\": \"trusted\", \"flags\": "
      "1, \"flag_names\": [\"ring0\"]}";
  EXPECT_NE(result.out.find(loader), std::string::npos) << result.out;
}

TEST_F(ListVerifyTest, InspectListOfAProgramSaysItIsNoList) {
  const RunResult result = kml({"inspect", "--list", staticProgram_.string()});
  EXPECT_EQ(result.exitCode, 65);
  EXPECT_NE(result.err.find("not an approval list"), std::string::npos)
      << result.err;
}

TEST_F(ListVerifyTest, InspectOfAFileThatIsNeitherSaysItIsNotElf) {
  const fs::path text = dir_ / "text";
  writeBytes(text, {std::byte{'h'}, std::byte{'i'}, std::byte{'\n'}});
  const RunResult result = kml({"inspect", text.string()});
  EXPECT_EQ(result.exitCode, 65);
  EXPECT_NE(result.err.find("not an ELF file"), std::string::npos)
      << result.err;
}

} // namespace
} // namespace kml::test
