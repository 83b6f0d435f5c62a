// kml::appendSections: how `kml mark` and the rewriter name the bytes
// they append, so that binutils keep them.

#include "kml/section_table.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace {

// A file of a header, a name table and a section header table: the null
// section, the name table and `padding` more null sections.
struct TinyFile {
  std::vector<std::byte> bytes;
  Elf64_Ehdr ehdr{};

  explicit TinyFile(std::size_t padding = 0) {
    static constexpr char kNames[] = "\0.shstrtab";
    const std::uint64_t namesOffset = sizeof(Elf64_Ehdr);
    bytes.resize(namesOffset);
    append(kNames, sizeof kNames);
    bytes.resize((bytes.size() + 7) & ~std::size_t{7});
    std::vector<Elf64_Shdr> table(2 + padding);
    table[1].sh_name = 1;
    table[1].sh_type = SHT_STRTAB;
    table[1].sh_offset = namesOffset;
    table[1].sh_size = sizeof kNames;
    ehdr.e_shoff = bytes.size();
    ehdr.e_shentsize = sizeof(Elf64_Shdr);
    ehdr.e_shnum = static_cast<Elf64_Half>(table.size());
    ehdr.e_shstrndx = 1;
    append(table.data(), table.size() * sizeof(Elf64_Shdr));
    std::memcpy(bytes.data(), &ehdr, sizeof ehdr);
  }

  void append(const void *data, std::size_t size) {
    const auto *first = static_cast<const std::byte *>(data);
    bytes.insert(bytes.end(), first, first + size);
  }

  [[nodiscard]] Elf64_Shdr section(std::size_t index) const {
    Elf64_Shdr header{};
    std::memcpy(&header,
                bytes.data() + ehdr.e_shoff + index * sizeof(Elf64_Shdr),
                sizeof header);
    return header;
  }

  [[nodiscard]] std::string name(std::size_t index) const {
    const Elf64_Shdr names = section(ehdr.e_shstrndx);
    const auto *text = reinterpret_cast<const char *>(bytes.data());
    return {text + names.sh_offset + section(index).sh_name};
  }
};

kml::AddedSection progbits(std::string_view name, std::uint64_t address) {
  kml::AddedSection added{name, {}};
  added.header.sh_type = SHT_PROGBITS;
  added.header.sh_flags = SHF_ALLOC;
  added.header.sh_addr = address;
  added.header.sh_size = 16;
  return added;
}

TEST(SectionTable, AddedSectionsFollowTheOldOnesWithTheirNames) {
  TinyFile file;
  const std::array added{progbits(".kml.data", 0x1000),
                         progbits(".kml.text", 0x2000)};

  ASSERT_TRUE(kml::appendSections(file.bytes, file.ehdr, added));

  ASSERT_EQ(file.ehdr.e_shnum, 4);
  EXPECT_EQ(file.ehdr.e_shoff % alignof(Elf64_Shdr), 0U);
  EXPECT_EQ(file.name(1), ".shstrtab");
  EXPECT_EQ(file.name(2), ".kml.data");
  EXPECT_EQ(file.name(3), ".kml.text");
  EXPECT_EQ(file.section(2).sh_addr, 0x1000U);
  EXPECT_EQ(file.section(3).sh_addr, 0x2000U);
  EXPECT_EQ(file.section(3).sh_type, static_cast<Elf64_Word>(SHT_PROGBITS));
}

TEST(SectionTable, NoExistingByteMoves) {
  TinyFile file;
  const std::vector<std::byte> before = file.bytes;
  const std::array added{progbits(".note.kml", 0x1000)};

  ASSERT_TRUE(kml::appendSections(file.bytes, file.ehdr, added));

  ASSERT_GT(file.bytes.size(), before.size());
  EXPECT_TRUE(std::equal(before.begin(), before.end(), file.bytes.begin()));
}

// Each case leaves the file and its header as they were.
void expectUnchanged(TinyFile &file) {
  const std::vector<std::byte> before = file.bytes;
  const Elf64_Ehdr header = file.ehdr;
  const std::array added{progbits(".note.kml", 0x1000)};

  EXPECT_FALSE(kml::appendSections(file.bytes, file.ehdr, added));

  EXPECT_EQ(file.bytes, before);
  EXPECT_EQ(std::memcmp(&file.ehdr, &header, sizeof header), 0);
}

TEST(SectionTable, AFileWithoutSectionHeadersGoesWithout) {
  TinyFile file;
  file.ehdr.e_shoff = 0;
  expectUnchanged(file);
}

TEST(SectionTable, ATableOutsideTheFileIsIgnored) {
  TinyFile file;
  file.ehdr.e_shoff = file.bytes.size() - sizeof(Elf64_Shdr);
  expectUnchanged(file);
  file.ehdr.e_shoff = UINT64_MAX - 8;
  expectUnchanged(file);
}

TEST(SectionTable, AnEntrySizeOtherThanElf64sIsIgnored) {
  TinyFile file;
  file.ehdr.e_shentsize = sizeof(Elf64_Shdr) + 8;
  expectUnchanged(file);
}

TEST(SectionTable, ANameTableIndexOutOfRangeIsIgnored) {
  TinyFile file;
  file.ehdr.e_shstrndx = file.ehdr.e_shnum;
  expectUnchanged(file);
  file.ehdr.e_shstrndx = SHN_UNDEF;
  expectUnchanged(file);
}

TEST(SectionTable, ANameTableThatIsNoStringTableIsIgnored) {
  TinyFile file;
  file.ehdr.e_shstrndx = 0; // the null section
  expectUnchanged(file);
}

TEST(SectionTable, ANameTableOutsideTheFileIsIgnored) {
  TinyFile file;
  Elf64_Shdr names = file.section(1);
  names.sh_size = UINT64_MAX;
  std::memcpy(file.bytes.data() + file.ehdr.e_shoff + sizeof(Elf64_Shdr),
              &names, sizeof names);
  expectUnchanged(file);
}

// e_shnum holds a count below SHN_LORESERVE; more would need the
// extended numbering the tools do not write.
TEST(SectionTable, ATableWithNoRoomForMoreEntriesIsIgnored) {
  TinyFile full(SHN_LORESERVE - 3);
  ASSERT_EQ(full.ehdr.e_shnum, SHN_LORESERVE - 1);
  expectUnchanged(full);
}

TEST(SectionTable, TheLastFreeEntryIsUsed) {
  TinyFile file(SHN_LORESERVE - 4);
  const std::array added{progbits(".note.kml", 0x1000)};
  ASSERT_TRUE(kml::appendSections(file.bytes, file.ehdr, added));
  EXPECT_EQ(file.ehdr.e_shnum, SHN_LORESERVE - 1);
}

} // namespace
