#include "core/Attestation.hpp"
#include "core/Sha256.hpp"

#include <gtest/gtest.h>
#include <llvm/Support/JSON.h>

#include <fstream>

using namespace kml::verify;

// FIPS 180-2 test vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256::hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Sha256::hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.update("ab");
  h.update("c");
  EXPECT_EQ(h.finishHex(), Sha256::hex("abc"));
}

TEST(Sha256, FileHash) {
  auto path = std::filesystem::temp_directory_path() / "kml-verify-sha-test";
  std::ofstream(path) << "abc";
  EXPECT_EQ(Sha256::hexOfFile(path), Sha256::hex("abc"));
  std::filesystem::remove(path);
  EXPECT_FALSE(Sha256::hexOfFile(path).has_value());
}

TEST(Attestation, FlagsHashSeparatesArguments) {
  EXPECT_NE(flagsSha256({"a b"}), flagsSha256({"a", "b"}));
  EXPECT_NE(flagsSha256({"-O2", "x.c"}), flagsSha256({"x.c", "-O2"}));
  EXPECT_EQ(flagsSha256({"-O2"}), Sha256::hex(std::string("-O2\0", 4)));
}

TEST(Attestation, JsonCarriesVersionsAndHashes) {
  AttestationData d;
  TuAttestation tu;
  tu.file = "/src/app.c";
  tu.sourceSha256 = Sha256::hex("int main(void){return 0;}");
  tu.flags = {"clang", "-O2", "app.c"};
  tu.flagsSha256 = flagsSha256(tu.flags);
  tu.parsed = true;
  d.tus.push_back(tu);
  d.stackLimit = 8192;
  d.passed = true;
  auto parsed = llvm::json::parse(attestationJson(d));
  ASSERT_TRUE(bool(parsed));
  const auto *root = parsed->getAsObject();
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->getString("verifier_version"), KML_VERIFY_VERSION);
  EXPECT_EQ(root->getString("ruleset_version"), "4");
  EXPECT_EQ(root->getString("result"), "pass");
  const auto *tus = root->getArray("translation_units");
  ASSERT_NE(tus, nullptr);
  ASSERT_EQ(tus->size(), 1u);
  const auto *t = (*tus)[0].getAsObject();
  EXPECT_EQ(t->getString("source_sha256"), tu.sourceSha256);
  EXPECT_EQ(t->getString("flags_sha256"), tu.flagsSha256);
  EXPECT_EQ(t->getArray("flags")->size(), 3u);
}
