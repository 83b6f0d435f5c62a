// The ELF path: symbols, stripped files, files without section headers,
// and malformed input that must throw Error with a clear message.
#include "elf_builder.hpp"
#include "kml/binary_validator.hpp"

#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>
#include <fstream>
#include <unistd.h>

namespace kml::binval {
namespace {

using test::buildElf;
using test::BuiltElf;
using test::ElfLayout;

// f: mov eax, 39; syscall; ret      g: hlt
const std::vector<std::uint8_t> kCode = {0xb8, 0x27, 0x00, 0x00, 0x00,
                                         0x0f, 0x05, 0xc3, 0xf4};

ElfLayout twoFunctions() {
  ElfLayout layout;
  layout.symbols = {{"f", 0, 8}, {"g", 8, 1}};
  return layout;
}

template <typename T>
void patch(BuiltElf &elf, std::uint64_t offset, const T &value) {
  std::memcpy(elf.bytes.data() + offset, &value, sizeof value);
}

std::string errorOf(const std::vector<std::byte> &image) {
  try {
    validateImage(image);
  } catch (const Error &error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Elf, FindingsCarrySymbolsAndAddresses) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  Report report = validateImage(elf.bytes);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[0].address, 0x401005u);
  EXPECT_EQ(report.findings[0].symbol, "f+0x5");
  EXPECT_EQ(report.findings[0].instruction, "syscall");
  EXPECT_EQ(report.findings[1].ruleId, "KML-B008");
  EXPECT_EQ(report.findings[1].address, 0x401008u);
  EXPECT_EQ(report.findings[1].symbol, "g+0x0");
  EXPECT_EQ(report.textBytes, kCode.size());
  EXPECT_EQ(report.instructions, 4u);
}

TEST(Elf, StrippedBinaryHasUnknownSymbols) {
  ElfLayout layout = twoFunctions();
  layout.withSymbols = false;
  Report report = validateImage(buildElf(kCode, layout).bytes);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].symbol, "?");
  EXPECT_EQ(report.findings[0].address, 0x401005u);
  EXPECT_EQ(report.findings[1].symbol, "?");
}

TEST(Elf, WithoutSectionHeadersTheExecutableSegmentIsScanned) {
  ElfLayout layout;
  layout.withSections = false;
  Report report = validateImage(buildElf(kCode, layout).bytes);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].address, 0x401005u);
  EXPECT_EQ(report.findings[0].symbol, "?");
}

TEST(Elf, CleanProgramHasNoFindings) {
  const std::vector<std::uint8_t> clean = {0x31, 0xc0, 0xc3}; // xor; ret
  ElfLayout layout;
  layout.symbols = {{"main", 0, 3}};
  Report report = validateImage(buildElf(clean, layout).bytes);
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.instructions, 2u);
}

TEST(Elf, SegmentBytesNoSectionCoversAreScannedToo) {
  // The kernel maps segments: shrink .text so the syscall lies in the
  // executable segment but outside every section.
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Xword>(
      elf, elf.textSectionHeaderOffset + offsetof(Elf64_Shdr, sh_size), 5);
  Report report = validateImage(elf.bytes);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[0].address, 0x401005u);
  EXPECT_EQ(report.findings[1].ruleId, "KML-B008");
  EXPECT_EQ(report.textBytes, kCode.size());
}

TEST(Elf, NonCodeSectionInExecutableSegmentIsReported) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Xword>(
      elf, elf.textSectionHeaderOffset + offsetof(Elf64_Shdr, sh_flags),
      SHF_ALLOC);
  Report report = validateImage(elf.bytes);
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B024");
  EXPECT_EQ(report.findings[0].address, 0x401000u);
  EXPECT_EQ(report.findings[0].instruction, "(section .text, 9 bytes)");
}

TEST(ElfErrors, SectionAndSegmentDisagreeOnTheBytes) {
  // .text points at other file bytes than the segment maps at its address:
  // validating them would prove nothing about what runs.
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Off>(
      elf, elf.textSectionHeaderOffset + offsetof(Elf64_Shdr, sh_offset), 0);
  std::string error = errorOf(elf.bytes);
  EXPECT_NE(error.find("section '.text' at 0x401000 is stored at file offset "
                       "0x0, but PT_LOAD[0] maps other file bytes"),
            std::string::npos)
      << error;
}

TEST(ElfErrors, BadMagic) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  elf.bytes[1] = std::byte{'X'};
  EXPECT_NE(errorOf(elf.bytes).find("not an ELF file: bad magic"),
            std::string::npos);
}

TEST(ElfErrors, ThirtyTwoBit) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  elf.bytes[EI_CLASS] = std::byte{ELFCLASS32};
  EXPECT_NE(errorOf(elf.bytes).find("32-bit ELF (ELFCLASS32) is not supported"),
            std::string::npos);
}

TEST(ElfErrors, BigEndian) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  elf.bytes[EI_DATA] = std::byte{ELFDATA2MSB};
  EXPECT_NE(errorOf(elf.bytes).find("not a little-endian ELF"),
            std::string::npos);
}

// libelf takes another EI_VERSION for no ELF at all; the message used to
// be "cannot read ELF header: invalid `Elf' handle" (found by tests/fuzz).
TEST(ElfErrors, UnknownElfVersion) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  elf.bytes[EI_VERSION] = std::byte{0};
  EXPECT_NE(errorOf(elf.bytes).find("unknown ELF version 0x0"),
            std::string::npos)
      << errorOf(elf.bytes);
}

TEST(ElfErrors, WrongMachine) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Half>(elf, offsetof(Elf64_Ehdr, e_machine), EM_AARCH64);
  EXPECT_NE(errorOf(elf.bytes).find("is not x86-64"), std::string::npos);
}

TEST(ElfErrors, RelocatableObjectIsNotAnExecutable) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Half>(elf, offsetof(Elf64_Ehdr, e_type), ET_REL);
  EXPECT_NE(errorOf(elf.bytes).find("is not an executable"), std::string::npos);
}

TEST(ElfErrors, TruncatedHeader) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  elf.bytes.resize(40);
  EXPECT_NE(errorOf(elf.bytes).find("truncated ELF header"), std::string::npos);
}

TEST(ElfErrors, TruncatedSectionTable) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  elf.bytes.resize(elf.sectionTableOffset + sizeof(Elf64_Shdr) + 10);
  std::string error = errorOf(elf.bytes);
  EXPECT_NE(error.find("section header table"), std::string::npos) << error;
  EXPECT_NE(error.find("extends beyond the end of the file"), std::string::npos)
      << error;
}

TEST(ElfErrors, SectionTableOffsetBeyondEnd) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Off>(elf, offsetof(Elf64_Ehdr, e_shoff), 0x7fffffff);
  EXPECT_NE(errorOf(elf.bytes).find("section header table"), std::string::npos);
}

// `kml mark` and `kml rewrite` move the program header table to the end of
// the file, into a segment of its own: only header bytes that an executable
// segment maps are data in code, not everything below the table's end.
TEST(ElfHeaders, MovedProgramHeaderTableIsNotDataInCode) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  Elf64_Ehdr ehdr;
  std::memcpy(&ehdr, elf.bytes.data(), sizeof ehdr);
  const std::vector<std::byte> table(
      elf.bytes.begin() + static_cast<std::ptrdiff_t>(ehdr.e_phoff),
      elf.bytes.begin() +
          static_cast<std::ptrdiff_t>(ehdr.e_phoff +
                                      ehdr.e_phnum * sizeof(Elf64_Phdr)));
  elf.bytes.resize((elf.bytes.size() + 7) / 8 * 8);
  ehdr.e_phoff = elf.bytes.size();
  elf.bytes.insert(elf.bytes.end(), table.begin(), table.end());
  patch(elf, 0, ehdr);

  Report report = validateImage(elf.bytes);
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[1].ruleId, "KML-B008");
  EXPECT_EQ(report.textBytes, kCode.size());
}

TEST(ElfErrors, SectionBeyondFileEnd) {
  BuiltElf elf = buildElf(kCode, twoFunctions());
  patch<Elf64_Xword>(
      elf, elf.textSectionHeaderOffset + offsetof(Elf64_Shdr, sh_size),
      0x100000);
  std::string error = errorOf(elf.bytes);
  EXPECT_NE(error.find("section [1] '.text'"), std::string::npos) << error;
  EXPECT_NE(error.find("extends beyond the end of the file"), std::string::npos)
      << error;
}

TEST(ElfErrors, SegmentBeyondFileEndWithoutSections) {
  ElfLayout layout;
  layout.withSections = false;
  BuiltElf elf = buildElf(kCode, layout);
  patch<Elf64_Off>(elf, sizeof(Elf64_Ehdr) + offsetof(Elf64_Phdr, p_offset),
                   0x10000);
  EXPECT_NE(errorOf(elf.bytes).find("PT_LOAD[0]"), std::string::npos);
}

TEST(ElfErrors, EmptyImage) {
  EXPECT_NE(errorOf({}).find("not an ELF file"), std::string::npos);
}

TEST(ValidateFile, ReadsFromDiskAndNamesThePathInErrors) {
  std::string path = ::testing::TempDir() + "kml_binval_test.elf";
  BuiltElf elf = buildElf(kCode, twoFunctions());
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(elf.bytes.data()),
              static_cast<std::streamsize>(elf.bytes.size()));
  }
  Report report = validateFile(path);
  EXPECT_EQ(report.findings.size(), 2u);

  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "#!/bin/sh\n";
  }
  try {
    validateFile(path);
    ADD_FAILURE() << "no error for a shell script";
  } catch (const Error &error) {
    EXPECT_NE(std::string(error.what()).find(path + ": not an ELF file"),
              std::string::npos)
        << error.what();
  }
  ::unlink(path.c_str());
}

TEST(ValidateFile, MissingAndEmptyFiles) {
  EXPECT_THROW(validateFile("/nonexistent/kml/binary"), Error);
  std::string path = ::testing::TempDir() + "kml_binval_empty.elf";
  {
    std::ofstream out(path);
  }
  EXPECT_THROW(validateFile(path), Error);
  ::unlink(path.c_str());
}

} // namespace
} // namespace kml::binval
