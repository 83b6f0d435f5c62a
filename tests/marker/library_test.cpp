// kml_elf on real static executables: finding, adding and changing the
// marker, and the layout of an added note.

#include "marker_of.hpp"
#include "support.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/marker_edit.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace kml::test {
namespace {

class LibraryTest : public ::testing::TestWithParam<std::string> {
protected:
  static std::vector<std::byte> original() {
    return readBytes(program(GetParam()));
  }
};

// The PT_LOAD that maps file offset [offset, offset + size), if any.
const Elf64_Phdr *loadCovering(const ElfImage &image, std::uint64_t offset,
                               std::uint64_t size) {
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_LOAD && ph.p_offset <= offset &&
        offset + size <= ph.p_offset + ph.p_filesz) {
      return &ph;
    }
  }
  return nullptr;
}

TEST_P(LibraryTest, UnmarkedProgramHasNoMarker) {
  const ElfImage image(original());
  EXPECT_FALSE(image.marker().has_value());
}

TEST_P(LibraryTest, AddedMarkerIsFoundEnabledAndMapped) {
  const auto before = original();
  const ElfImage marked(withMarker(ElfImage(before), true));
  ASSERT_TRUE(marked.marker().has_value());
  const MarkerInfo m = markerOf(marked);
  EXPECT_EQ(m.desc.version, KML_NOTE_VERSION);
  EXPECT_EQ(m.desc.flags, KML_NOTE_F_ENABLE);
  EXPECT_EQ(m.descSize, sizeof(struct kml_note));
  EXPECT_TRUE(std::ranges::all_of(m.desc.reserved,
                                  [](__u32 word) { return word == 0; }));
  EXPECT_EQ(m.verdict(), KML_NOTE_RUN_KML);
  EXPECT_EQ(m.noteOffset % 4, 0U);

  // Reachable through a PT_NOTE that a PT_LOAD maps at a matching address.
  const Elf64_Phdr &note = marked.programHeaders()[m.segmentIndex];
  EXPECT_EQ(note.p_type, PT_NOTE);
  const Elf64_Phdr *load = loadCovering(marked, note.p_offset, note.p_filesz);
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(note.p_vaddr - load->p_vaddr, note.p_offset - load->p_offset);

  // Nothing that was in the file moved: only the ELF header changed.
  const auto after = marked.bytes();
  ASSERT_GT(after.size(), before.size());
  EXPECT_TRUE(std::equal(before.begin() + sizeof(Elf64_Ehdr), before.end(),
                         after.begin() + sizeof(Elf64_Ehdr)));
}

// binutils keep only what sections describe (docs/marker.md).
TEST_P(LibraryTest, AddedNoteHasASection) {
  const auto bytes = withMarker(ElfImage(original()), true);
  const ElfImage marked(bytes);
  const Elf64_Ehdr &eh = marked.header();
  ASSERT_NE(eh.e_shoff, 0U);
  const auto names =
      load<Elf64_Shdr>(bytes, eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr));
  const auto last = load<Elf64_Shdr>(
      bytes, eh.e_shoff + (eh.e_shnum - 1) * sizeof(Elf64_Shdr));
  const char *name = reinterpret_cast<const char *>(bytes.data()) +
                     names.sh_offset + last.sh_name;
  EXPECT_STREQ(name, ".note.kml");
  EXPECT_EQ(last.sh_type, static_cast<Elf64_Word>(SHT_NOTE));
  EXPECT_EQ(last.sh_flags, static_cast<Elf64_Xword>(SHF_ALLOC));
  EXPECT_EQ(last.sh_offset, markerOf(marked).noteOffset);
  EXPECT_EQ(last.sh_addr,
            marked.programHeaders()[markerOf(marked).segmentIndex].p_vaddr);
  EXPECT_EQ(last.sh_size, 48U);
}

TEST_P(LibraryTest, ProgramHeadersStayMappedAndOrdered) {
  const ElfImage marked(withMarker(ElfImage(original()), true));
  const Elf64_Ehdr &eh = marked.header();
  const std::uint64_t tableSize = eh.e_phnum * sizeof(Elf64_Phdr);
  const Elf64_Phdr *load = loadCovering(marked, eh.e_phoff, tableSize);
  ASSERT_NE(load, nullptr) << "AT_PHDR needs the table in a PT_LOAD";
  const std::uint64_t tableAddress =
      load->p_vaddr + (eh.e_phoff - load->p_offset);

  std::uint64_t lastAddress = 0;
  for (const Elf64_Phdr &ph : marked.programHeaders()) {
    if (ph.p_type == PT_LOAD) {
      EXPECT_GE(ph.p_vaddr, lastAddress) << "PT_LOADs out of order";
      lastAddress = ph.p_vaddr;
      EXPECT_EQ(ph.p_vaddr % 0x1000, ph.p_offset % 0x1000);
    }
    if (ph.p_type == PT_PHDR) {
      EXPECT_EQ(ph.p_offset, eh.e_phoff);
      EXPECT_EQ(ph.p_vaddr, tableAddress);
      EXPECT_EQ(ph.p_filesz, tableSize);
    }
  }
}

TEST_P(LibraryTest, MarkingTwiceGivesTheSameBytes) {
  const auto once = withMarker(ElfImage(original()), true);
  const auto twice = withMarker(ElfImage(once), true);
  EXPECT_EQ(once, twice);
}

TEST_P(LibraryTest, DisabledMarkerDiffersInTheFlagsWordOnly) {
  const auto enabled = withMarker(ElfImage(original()), true);
  const ElfImage image(enabled);
  const auto disabled = withMarker(image, false);
  const auto offsets = differingOffsets(enabled, disabled);
  ASSERT_EQ(offsets.size(), 1U);
  EXPECT_EQ(offsets[0], markerOf(image).descOffset + 4);
  EXPECT_EQ(markerOf(disabled).verdict(), KML_NOTE_RUN_NORMAL);
  EXPECT_EQ(withMarkerFlag(ElfImage(disabled), true), enabled);
}

// Two PT_NOTEs covering the same note are one marker, not two.
TEST_P(LibraryTest, SameNoteThroughTwoSegmentsIsOneMarker) {
  auto bytes = withMarker(ElfImage(original()), true);
  const ElfImage marked(bytes);
  const Elf64_Ehdr &eh = marked.header();
  // Turn PT_GNU_STACK (or any non-load entry) into a second view of the
  // marker's PT_NOTE.
  const Elf64_Phdr note =
      marked.programHeaders()[markerOf(marked).segmentIndex];
  bool replaced = false;
  for (std::size_t i = 0; i < eh.e_phnum && !replaced; ++i) {
    const auto at = eh.e_phoff + i * sizeof(Elf64_Phdr);
    if (load<Elf64_Phdr>(bytes, at).p_type == PT_GNU_STACK) {
      store(bytes, at, note);
      replaced = true;
    }
  }
  ASSERT_TRUE(replaced);
  const ElfImage twice(bytes);
  ASSERT_TRUE(twice.marker().has_value());
  EXPECT_EQ(markerOf(twice).noteOffset, markerOf(marked).noteOffset);
}

TEST_P(LibraryTest, FlagChangeNeedsAMarker) {
  try {
    withMarkerFlag(ElfImage(original()), true);
    FAIL() << "expected ElfError";
  } catch (const ElfError &error) {
    EXPECT_EQ(error.kind(), ElfErrorKind::NoMarker);
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, LibraryTest,
                         ::testing::ValuesIn(runnablePrograms()),
                         [](const auto &info) {
                           return paramName(info.param);
                         });

} // namespace
} // namespace kml::test
