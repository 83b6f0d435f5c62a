// Hostile input: every truncation and many seeded random corruptions of a
// valid image must end in a Report or an Error, never a crash or another
// exception type. Run under ASan/UBSan to catch out-of-bounds reads.
#include "elf_builder.hpp"
#include "kml/binary_validator.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>

namespace kml::binval {
namespace {

const std::vector<std::uint8_t> kCode = {0x55, 0x48, 0x89, 0xe5, 0x0f, 0x05,
                                         0x5d, 0xc3, 0xcc, 0xcc, 0xf4};

test::BuiltElf sample() {
  test::ElfLayout layout;
  layout.symbols = {{"main", 0, 8}, {"crash", 10, 1}};
  return test::buildElf(kCode, layout);
}

// Returns normally for a Report or an Error that says what is wrong;
// anything else fails the test.
void validateOrError(const std::vector<std::byte> &image) {
  try {
    Report report = validateImage(image);
    EXPECT_LE(report.findings.size(), report.textBytes + 1);
  } catch (const Error &error) {
    EXPECT_STRNE(error.what(), "");
  }
}

TEST(Robustness, EveryTruncation) {
  std::vector<std::byte> image = sample().bytes;
  for (std::size_t size = 0; size < image.size(); ++size)
    validateOrError(
        {image.begin(), image.begin() + static_cast<std::ptrdiff_t>(size)});
}

TEST(Robustness, RandomCorruption) {
  const std::vector<std::byte> image = sample().bytes;
  std::mt19937 random(4242);
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::byte> corrupt = image;
    int flips = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < flips; ++i)
      corrupt[random() % corrupt.size()] =
          static_cast<std::byte>(random() & 0xff);
    validateOrError(corrupt);
  }
}

} // namespace
} // namespace kml::binval
