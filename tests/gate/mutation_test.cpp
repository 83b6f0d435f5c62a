// 2,000 random single-byte changes and truncations of a signed program:
// `kml verify` never crashes and never allows a file that is not the one
// signed. And in the library, every single-byte change of a signature.

#include "gate_fixture.hpp"

#include "kml/gate/appended.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/development_key.hpp"
#include "kml/gate/gate_check.hpp"

#include <algorithm>

#include <iostream>
#include <map>
#include <random>

namespace kml::test {
namespace {

constexpr int kMutations = 2000;

using MutationTest = GateTest;

TEST_F(MutationTest, NoChangedFileIsAllowed) {
  const fs::path prog = copyProgram("nolibc-static", "prog");
  signOk(prog);
  const auto original = readBytes(prog);
  ASSERT_EQ(outcome(verify(prog)), "allowed");
  const SignedLayout layout = layoutOf(original);

  std::mt19937_64 random(20241204); // fixed: a failure can be replayed
  std::uniform_int_distribution<int> byteValue(1, 255);
  const fs::path mutant = dir_ / "mutant";
  std::map<std::string, int> outcomes;
  for (int i = 0; i < kMutations; ++i) {
    auto bytes = original;
    std::string what;
    const int kind = static_cast<int>(random() % 10);
    if (kind < 2) {
      const std::size_t size = random() % bytes.size();
      bytes.resize(size);
      what = "truncated to " + std::to_string(size);
    } else {
      // Half the changes land in the signature and trailer, where the
      // parsing is; the rest anywhere.
      const std::size_t from = kind < 6 ? layout.pkcs7Offset : 0;
      const std::size_t at = from + random() % (bytes.size() - from);
      bytes[at] ^= static_cast<std::byte>(byteValue(random));
      what = "byte " + std::to_string(at) + " changed";
    }
    writeBytes(mutant, bytes);
    const RunResult result = verify(mutant);
    ASSERT_EQ(result.exitCode, 1) << what << ": " << result.out << result.err;
    ASSERT_EQ(result.out.find(": allowed"), std::string::npos) << what;
    ++outcomes[outcome(result)];
  }
  for (const auto &[reason, count] : outcomes) {
    std::cout << "  " << reason << ": " << count << "\n";
  }
}

} // namespace
} // namespace kml::test

namespace kml::gate {
namespace {

// Every value of every byte of the message's structure and trailer, and a
// few values of each byte of the certificate, manifest and signature
// value (which the signature and the certificate comparison cover
// wholesale): the library allows none of them.
TEST(GateMutation, NoOtherMessageIsAllowed) {
  const SigningKey key = generateDevelopmentKey("mutation");
  const std::vector<std::byte> program(4096, std::byte{0x90});
  ManifestEntry entry;
  entry.digest = sha256(program);
  entry.length = program.size();
  entry.flags = KML_MANIFEST_F_RING0;
  auto file =
      appendSignature(program, signContent(encodeManifest({1, {entry}}), key));
  const std::vector<Certificate> trusted{key.cert};
  const GatePolicy policy{Assurance::Trusted, 0};
  ASSERT_TRUE(checkSignedFile(file, trusted, policy).verdict.allowed());

  const auto locate = [&](std::span<const std::byte> needle) {
    const auto found = std::ranges::search(file, needle);
    return static_cast<std::size_t>(found.begin() - file.begin());
  };
  const auto manifest = encodeManifest({1, {entry}});
  const auto cert = key.cert.der();
  const std::size_t trailer = file.size() - 36;
  struct Range {
    std::size_t begin;
    std::size_t end;
  };
  // Covered wholesale: sampled.
  const std::vector<Range> sampled{
      {locate(manifest), locate(manifest) + manifest.size()},
      {locate(cert), locate(cert) + cert.size()},
      {trailer - 256, trailer}, // the RSA-2048 signature value, last
  };
  const auto isSampled = [&](std::size_t i) {
    return std::ranges::any_of(
        sampled, [i](const Range &r) { return i >= r.begin && i < r.end; });
  };

  std::size_t tried = 0;
  for (std::size_t i = program.size(); i < file.size(); ++i) {
    const std::byte original = file[i];
    for (int value = 1; value < 256; ++value) {
      if (isSampled(i) && value != 0x01 && value != 0x80 && value != 0xff) {
        continue;
      }
      file[i] = original ^ static_cast<std::byte>(value);
      ++tried;
      ASSERT_FALSE(checkSignedFile(file, trusted, policy).verdict.allowed())
          << "byte " << i - program.size() << " of the signature xor " << value;
    }
    file[i] = original;
  }
  std::cout << "  " << tried << " changed files, none allowed\n";
}

} // namespace
} // namespace kml::gate
