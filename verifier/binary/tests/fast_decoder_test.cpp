// Differential test of the allowlist length decoder against Zydis: at every
// byte offset of real binaries, random data and exhaustive opcode/ModRM
// combinations, whenever the fast decoder answers, Zydis must decode the
// same length, allow the instruction, and agree on straight-line flow.
#include "fast_decoder.hpp"
#include "rules.hpp"

#include <gtest/gtest.h>

#include <Zydis/Zydis.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kml::binval::detail {
namespace {

class Oracle {
public:
  Oracle() {
    ZydisDecoderInit(&decoder_, ZYDIS_MACHINE_MODE_LONG_64,
                     ZYDIS_STACK_WIDTH_64);
  }

  // Checks every offset of `bytes`; returns how many offsets the fast path
  // answered. Stops after a few mismatches to keep the log readable.
  std::size_t check(const std::vector<std::uint8_t> &bytes, const char *what) {
    std::size_t answered = 0;
    int failures = 0;
    for (std::size_t offset = 0; offset < bytes.size() && failures < 10;
         ++offset) {
      std::size_t available = std::min<std::size_t>(bytes.size() - offset, 15);
      FastDecode fast = fastDecode(bytes.data() + offset, available);
      if (fast.length == 0)
        continue;
      ++answered;
      ZydisDecodedInstruction insn;
      bool ok = ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(
          &decoder_, nullptr, bytes.data() + offset, available, &insn));
      bool agrees = ok && insn.length == fast.length &&
                    classify(insn) == nullptr &&
                    endsStraightLineFlow(insn) == fast.endsFlow;
      if (!agrees) {
        ++failures;
        std::string hex;
        static constexpr std::string_view kDigits = "0123456789abcdef";
        for (std::size_t i = 0; i < available; ++i) {
          const unsigned byte = bytes[offset + i];
          hex += kDigits[byte >> 4];
          hex += kDigits[byte & 0xf];
          hex += ' ';
        }
        ADD_FAILURE() << what << " offset " << offset << ": fast length "
                      << int(fast.length) << ", Zydis "
                      << (ok ? std::to_string(insn.length) : "fails")
                      << ", bytes " << hex;
      }
    }
    return answered;
  }

private:
  ZydisDecoder decoder_{};
};

std::vector<std::uint8_t> readFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

TEST(FastDecoder, AgreesWithZydisOnRealBinaries) {
  Oracle oracle;
  std::vector<std::filesystem::path> files = {
      std::filesystem::read_symlink("/proc/self/exe"), KML_BINVAL_SYSPROG};
  if (std::filesystem::exists("/bin/busybox"))
    files.emplace_back("/bin/busybox");
  for (const auto &file : files) {
    // Every offset of the whole file: code, data and misaligned starts.
    std::vector<std::uint8_t> bytes = readFile(file);
    ASSERT_FALSE(bytes.empty()) << file;
    EXPECT_GT(oracle.check(bytes, file.c_str()), 0u);
  }
}

TEST(FastDecoder, AgreesWithZydisOnRandomBytes) {
  Oracle oracle;
  std::mt19937 random(20261123);
  std::vector<std::uint8_t> bytes(4 << 20);
  for (auto &b : bytes)
    b = static_cast<std::uint8_t>(random());
  EXPECT_GT(oracle.check(bytes, "random"), 0u);
}

TEST(FastDecoder, AgreesWithZydisOnEveryOpcodeAndModRM) {
  Oracle oracle;
  const std::vector<std::vector<std::uint8_t>> prefixes = {
      {}, {0x66}, {0x48}, {0x41}, {0x66, 0x48}, {0x64, 0x48}, {0x4c}};
  std::vector<std::uint8_t> bytes;
  // Each case is padded to 16 bytes with a varied tail so displacement,
  // SIB and immediates see different values; the oracle decodes at every
  // offset, covering the case start and its misaligned tails alike.
  std::mt19937 random(7);
  for (const auto &prefix : prefixes)
    for (int twoByte = 0; twoByte < 2; ++twoByte)
      for (int opcode = 0; opcode < 256; ++opcode)
        for (int modrm = 0; modrm < 256; ++modrm) {
          std::vector<std::uint8_t> insn = prefix;
          if (twoByte)
            insn.push_back(0x0f);
          insn.push_back(static_cast<std::uint8_t>(opcode));
          insn.push_back(static_cast<std::uint8_t>(modrm));
          while (insn.size() < 16)
            insn.push_back(static_cast<std::uint8_t>(random()));
          bytes.insert(bytes.end(), insn.begin(), insn.end());
        }
  EXPECT_GT(oracle.check(bytes, "exhaustive"), 0u);
}

} // namespace
} // namespace kml::binval::detail
