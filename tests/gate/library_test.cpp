// The kml_gate library on its own: manifest bytes, the trailer, the reason
// table, CMS signing and checking, and the verdicts the command line cannot
// produce (bad-manifest, not-ring0).

#include "kml/gate/appended.hpp"
#include "kml/gate/attestation.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/development_key.hpp"
#include "kml/gate/gate_check.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/manifest.hpp"
#include "kml/gate/reasons.hpp"

#include <linux/kml_gate.h>
#include <linux/kml_manifest.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <set>
#include <string>

namespace kml::gate {
namespace {

std::vector<std::byte> bytesOf(std::string_view text) {
  const auto *data = reinterpret_cast<const std::byte *>(text.data());
  return {data, data + text.size()};
}

ManifestEntry programEntry(std::span<const std::byte> program) {
  ManifestEntry entry;
  entry.digest = sha256(program);
  entry.length = program.size();
  entry.flags = KML_MANIFEST_F_RING0;
  return entry;
}

// One development key for the whole suite: RSA key generation is slow.
const SigningKey &testKey() {
  static const SigningKey key = generateDevelopmentKey("library test");
  return key;
}

std::vector<std::byte> signedWith(std::span<const std::byte> program,
                                  std::span<const std::byte> content) {
  return appendSignature(program, signContent(content, testKey()));
}

GateReport check(std::span<const std::byte> file,
                 GatePolicy policy = {Assurance::Trusted, 0}) {
  const std::vector<Certificate> trusted{testKey().cert};
  return checkSignedFile(file, trusted, policy);
}

TEST(GateManifest, EncodesTheHeaderLayout) {
  const auto program = bytesOf("a program");
  ManifestEntry entry = programEntry(program);
  entry.assurance = Assurance::Verified;
  entry.rulesetVersion = 2;
  entry.attestation.fill(0xab);
  const Manifest manifest{0x0102030405060708ULL, {entry}};
  const auto bytes = encodeManifest(manifest);
  ASSERT_EQ(bytes.size(), 32U + 88U);
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(bytes.data()), 8),
            "KMLMANIF");
  EXPECT_EQ(bytes[8], std::byte{1});     // version, little-endian
  EXPECT_EQ(bytes[10], std::byte{32});   // header_size
  EXPECT_EQ(bytes[12], std::byte{88});   // entry_size
  EXPECT_EQ(bytes[14], std::byte{1});    // entry_count
  EXPECT_EQ(bytes[16], std::byte{0x08}); // generation, low byte first
  EXPECT_EQ(bytes[23], std::byte{0x01});
  EXPECT_EQ(bytes[32 + 40], std::byte{KML_DIGEST_SHA256});
  EXPECT_EQ(bytes[32 + 42], std::byte{KML_ASSURANCE_VERIFIED});

  const auto decoded = decodeManifest(bytes);
  ASSERT_TRUE(std::holds_alternative<Manifest>(decoded));
  EXPECT_EQ(std::get<Manifest>(decoded), manifest);
}

TEST(GateManifest, DecodingFollowsTheKernelsRule) {
  const auto good = encodeManifest({1, {programEntry(bytesOf("x"))}});
  auto error = [](std::vector<std::byte> bytes) {
    const auto decoded = decodeManifest(bytes);
    return std::holds_alternative<kml_manifest_error>(decoded)
               ? std::get<kml_manifest_error>(decoded)
               : KML_MANIFEST_OK;
  };
  EXPECT_EQ(error(good), KML_MANIFEST_OK);
  EXPECT_EQ(error({good.begin(), good.begin() + 10}), KML_MANIFEST_E_SHORT);
  EXPECT_EQ(error({good.begin(), good.end() - 1}), KML_MANIFEST_E_SHORT);
  auto longer = good;
  longer.push_back(std::byte{0});
  EXPECT_EQ(error(longer), KML_MANIFEST_E_LAYOUT);
  auto magic = good;
  magic[0] = std::byte{'k'};
  EXPECT_EQ(error(magic), KML_MANIFEST_E_MAGIC);
  auto version = good;
  version[8] = std::byte{2};
  EXPECT_EQ(error(version), KML_MANIFEST_E_VERSION);
  auto reserved = good;
  reserved[24] = std::byte{1};
  EXPECT_EQ(error(reserved), KML_MANIFEST_E_LAYOUT);
  auto flags = good;
  flags[32 + 44] = std::byte{0x04}; // an unknown flag
  EXPECT_EQ(error(flags), KML_MANIFEST_E_ENTRY);
  auto assurance = good;
  assurance[32 + 42] = std::byte{4};
  EXPECT_EQ(error(assurance), KML_MANIFEST_E_ENTRY);
}

TEST(GateManifest, AssuranceNames) {
  EXPECT_EQ(parseAssurance("validated"), Assurance::Validated);
  EXPECT_FALSE(parseAssurance("Verified"));
  EXPECT_LT(Assurance::Trusted, Assurance::Verified);
  EXPECT_EQ(manifestFlagNames(KML_MANIFEST_F_RING0 | 0x10U),
            (std::vector<std::string>{"ring0", "0x10"}));
}

TEST(GateReasons, AreTheHeadersTable) {
  const auto reasons = allReasons();
  ASSERT_EQ(reasons.size(), static_cast<std::size_t>(KML_GATE_NR_REASONS - 1));
  std::set<std::string_view> names;
  for (const ReasonInfo &info : reasons) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_EQ(reasonByName(info.name), info.reason);
  }
  EXPECT_EQ(reasonInfo(GateReason::UNKNOWN_KEY).name, "unknown-key");
  EXPECT_EQ(reasonInfo(GateReason::UNKNOWN_KEY).errnoValue, ENOKEY);
  EXPECT_EQ(static_cast<int>(GateReason::UNSIGNED), KML_GATE_UNSIGNED);
  EXPECT_EQ(GateVerdict::refuse(GateReason::TAMPERED, "why").describe(),
            "tampered: the file is not the bytes the manifest covers (why)");
  EXPECT_TRUE(GateVerdict::allow().allowed());
}

TEST(GateTrailer, FindsAppendsAndStrips) {
  const auto program = bytesOf("program bytes");
  const auto sig = bytesOf("not really DER");
  const auto file = appendSignature(program, sig);
  EXPECT_EQ(file.size(), program.size() + sig.size() + 12 + 24);
  const auto scan = findAppendedSignature(file);
  ASSERT_TRUE(std::holds_alternative<AppendedSignature>(scan));
  EXPECT_EQ(std::get<AppendedSignature>(scan).pkcs7Offset, program.size());
  EXPECT_TRUE(std::ranges::equal(std::get<AppendedSignature>(scan).pkcs7, sig));
  EXPECT_TRUE(std::ranges::equal(stripSignature(file), program));
  EXPECT_TRUE(std::ranges::equal(stripSignature(program), program));
  EXPECT_TRUE(
      std::holds_alternative<NoTrailer>(findAppendedSignature(program)));

  auto badId = file;
  badId[file.size() - 24 - 12 + 2] = std::byte{1}; // id_type
  EXPECT_TRUE(
      std::holds_alternative<MalformedTrailer>(findAppendedSignature(badId)));
  EXPECT_THROW((void)stripSignature(badId), GateError);
  auto pad = file;
  pad[file.size() - 24 - 12 + 5] = std::byte{1};
  EXPECT_TRUE(
      std::holds_alternative<MalformedTrailer>(findAppendedSignature(pad)));
  EXPECT_THROW((void)appendSignature(program, {}), GateError);
}

TEST(GateCheck, AllowsASignedProgram) {
  const auto program = bytesOf("\x7f"
                               "ELF and more");
  const auto file =
      signedWith(program, encodeManifest({5, {programEntry(program)}}));
  const GateReport report = check(file);
  EXPECT_TRUE(report.verdict.allowed()) << report.verdict.describe();
  if (!report.manifest) {
    FAIL() << "no manifest in the report";
  }
  EXPECT_EQ(report.manifest->generation, 5U);
  EXPECT_EQ(report.signer, "CN=kml development key library test");
}

TEST(GateCheck, ContentThatIsNoManifestIsBadManifest) {
  const auto program = bytesOf("program");
  const auto report = check(
      signedWith(program, bytesOf("hello, kernel: not a manifest, but as long "
                                  "as a header")));
  EXPECT_EQ(report.verdict.reason(), GateReason::BAD_MANIFEST);
  EXPECT_EQ(report.verdict.detail(), "no manifest magic");
}

TEST(GateCheck, ManifestOfAnotherShapeIsBadManifest) {
  const auto program = bytesOf("program");
  ManifestEntry entry = programEntry(program);
  entry.role = Role::Library;
  EXPECT_EQ(
      check(signedWith(program, encodeManifest({1, {entry}}))).verdict.reason(),
      GateReason::BAD_MANIFEST);
  const ManifestEntry good = programEntry(program);
  EXPECT_EQ(check(signedWith(program, encodeManifest({1, {good, good}})))
                .verdict.reason(),
            GateReason::BAD_MANIFEST);
}

TEST(GateCheck, EntryWithoutRing0IsNotRing0) {
  const auto program = bytesOf("program");
  ManifestEntry entry = programEntry(program);
  entry.flags = KML_MANIFEST_F_BYPASS;
  const auto report = check(signedWith(program, encodeManifest({1, {entry}})));
  EXPECT_EQ(report.verdict.reason(), GateReason::NOT_RING0);
}

TEST(GateCheck, PolicyOrder) {
  const auto program = bytesOf("program");
  ManifestEntry entry = programEntry(program);
  entry.flags = 0;
  const auto file = signedWith(program, encodeManifest({1, {entry}}));
  // The generation is checked before the assurance, the assurance before
  // the ring-0 flag, as the kernel does.
  EXPECT_EQ(check(file, {Assurance::Verified, 2}).verdict.reason(),
            GateReason::STALE_GENERATION);
  EXPECT_EQ(check(file, {Assurance::Verified, 1}).verdict.reason(),
            GateReason::ASSURANCE_TOO_LOW);
  EXPECT_EQ(check(file, {Assurance::Trusted, 1}).verdict.reason(),
            GateReason::NOT_RING0);
}

TEST(GateCheck, NoTrustedCertificatesMeansUnknownKey) {
  const auto program = bytesOf("program");
  const auto file =
      signedWith(program, encodeManifest({1, {programEntry(program)}}));
  EXPECT_EQ(checkSignedFile(file, {}, {}).verdict.reason(),
            GateReason::UNKNOWN_KEY);
}

TEST(GateCheck, ReadContentWithoutTrust) {
  const auto content = bytesOf("anything");
  const auto read = readContent(signContent(content, testKey()));
  ASSERT_TRUE(std::holds_alternative<UnverifiedContent>(read));
  EXPECT_EQ(std::get<UnverifiedContent>(read).content, content);
  EXPECT_EQ(std::get<UnverifiedContent>(read).signer,
            "CN=kml development key library test");
  EXPECT_TRUE(std::holds_alternative<std::string>(readContent(content)));
}

TEST(GateAttestation, ReadsKmlVerifysJson) {
  const std::string json = R"({
  "binary": {"file": "prog", "findings": 0, "sha256": "abc"},
  "external_call_budget": 1024,
  "findings": 0,
  "format": "kml-verify-attestation",
  "format_version": 1,
  "hash": "sha256",
  "result": "pass",
  "ruleset_version": "2",
  "stack_limit": 8192,
  "translation_units": [{"file": "a\u00e9.c", "flags": ["-O2"], "parsed": true}],
  "verifier": "kml-verify",
  "verifier_version": "0.1.0"
})";
  const AttestationSummary summary = readAttestation(json);
  EXPECT_TRUE(summary.passed);
  EXPECT_EQ(summary.rulesetVersion, 2U);
  EXPECT_EQ(summary.binarySha256, "abc");
  EXPECT_EQ(summary.binaryFindings, 0U);
  EXPECT_EQ(summary.translationUnits, 1U);
}

TEST(GateAttestation, RefusesWhatIsNotOne) {
  EXPECT_THROW((void)readAttestation(""), GateError);
  EXPECT_THROW((void)readAttestation("{"), GateError);
  EXPECT_THROW((void)readAttestation("[]"), GateError);
  EXPECT_THROW((void)readAttestation(R"({"format": "other"})"), GateError);
  EXPECT_THROW((void)readAttestation(std::string(100000, '[')), GateError);
  EXPECT_THROW((void)readAttestation(
                   R"({"format": "kml-verify-attestation", "format_version": 1,
                      "result": "pass", "ruleset_version": "x",
                      "translation_units": []})"),
               GateError);
}

} // namespace
} // namespace kml::gate
