// The PKCS#7 is what the openssl command line makes and reads: kml sign's
// message gives the manifest back byte for byte to `openssl cms -verify`,
// and a message made by `openssl cms -sign` passes `kml verify`. The
// kernel's PKCS#7 parser reads the same messages as module signing's.

#include "gate_fixture.hpp"

#include "kml/gate/appended.hpp"
#include "kml/gate/manifest.hpp"

namespace kml::test {
namespace {

using InteropTest = GateTest;

TEST_F(InteropTest, OpensslGetsTheManifestBack) {
  const fs::path prog = copyProgram("glibc-static", "prog");
  const auto original = readBytes(prog);
  signOk(prog, {"--generation", "9", "--bypass"});
  const auto bytes = readBytes(prog);
  const SignedLayout layout = layoutOf(bytes);
  const fs::path der = dir_ / "sig.der";
  writeBytes(der, std::vector<std::byte>(at(bytes, layout.pkcs7Offset),
                                         at(bytes, layout.infoOffset)));
  const fs::path content = dir_ / "manifest.bin";
  const RunResult openssl =
      run({KML_OPENSSL, "cms", "-verify", "-inform", "DER", "-binary",
           "-noverify", "-in", der.string(), "-out", content.string()});
  ASSERT_EQ(openssl.exitCode, 0) << openssl.err;

  gate::ManifestEntry entry;
  entry.digest = gate::sha256(original);
  entry.length = original.size();
  entry.flags = KML_MANIFEST_F_RING0 | KML_MANIFEST_F_BYPASS;
  const gate::Manifest expected{9, {entry}};
  EXPECT_EQ(readBytes(content), gate::encodeManifest(expected));

  // And openssl checks the signature against the certificate too.
  const RunResult checked =
      run({KML_OPENSSL, "cms", "-verify", "-inform", "DER", "-binary", "-in",
           der.string(), "-CAfile", (keyDir() / "default.pem").string(),
           "-purpose", "any", "-out", "/dev/null"});
  EXPECT_EQ(checked.exitCode, 0) << checked.err;
}

TEST_F(InteropTest, KmlVerifyAcceptsWhatOpensslSigns) {
  ASSERT_EQ(kml({"key", "new"}).exitCode, 0);
  const auto program = readBytes(copyProgram("glibc-static", "prog"));
  gate::ManifestEntry entry;
  entry.digest = gate::sha256(program);
  entry.length = program.size();
  entry.flags = KML_MANIFEST_F_RING0;
  const fs::path manifest = dir_ / "manifest.bin";
  writeBytes(manifest, gate::encodeManifest({3, {entry}}));
  const fs::path der = dir_ / "sig.der";
  const RunResult sign =
      run({KML_OPENSSL, "cms", "-sign", "-binary", "-nodetach", "-noattr",
           "-md", "sha256", "-outform", "DER", "-in", manifest.string(), "-out",
           der.string(), "-signer", (keyDir() / "default.pem").string(),
           "-inkey", (keyDir() / "default.key").string()});
  ASSERT_EQ(sign.exitCode, 0) << sign.err;
  const fs::path signedFile = dir_ / "signed";
  writeBytes(signedFile, gate::appendSignature(program, readBytes(der)));
  const RunResult result = verify(signedFile);
  EXPECT_EQ(outcome(result), "allowed") << result.out;
  EXPECT_NE(result.out.find("generation 3"), std::string::npos);
}

} // namespace
} // namespace kml::test
