// The ELF mutator: deterministic, every mutation reachable and effective
// on a real program, and the note helpers agree with kml's own reader.

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/fuzz/elf_mutator.hpp"

#include <linux/kml_note.h>

#include <elf.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

namespace kml::fuzz {
namespace {

std::vector<std::byte> readProgram(const char *path) {
  std::ifstream in(path, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

const std::vector<std::byte> &program() {
  static const std::vector<std::byte> bytes =
      readProgram(KML_FUZZ_SEED_PROGRAM);
  return bytes;
}

const std::vector<std::byte> &markedProgram() {
  static const std::vector<std::byte> bytes =
      readProgram(KML_FUZZ_MARKED_PROGRAM);
  return bytes;
}

TEST(Rng, IsSplitMix64) {
  // The reference outputs of splitmix64 seeded with 0.
  Rng rng(0);
  EXPECT_EQ(0xe220a8397b1dcdafULL, rng.next());
  EXPECT_EQ(0x6e789e6aa1b965f4ULL, rng.next());
  EXPECT_EQ(0x06c45d188009454fULL, rng.next());
}

TEST(Rng, BelowStaysInRange) {
  Rng rng(7);
  EXPECT_EQ(0U, rng.below(0));
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(rng.below(13), 13U);
  }
}

TEST(Mutate, SameSeedAndIndexSameMutant) {
  ASSERT_FALSE(program().empty());
  for (std::uint64_t index = 0; index < 200; ++index) {
    const Mutant a = mutate(program(), 42, index);
    const Mutant b = mutate(program(), 42, index);
    EXPECT_EQ(a.bytes, b.bytes) << index;
    EXPECT_EQ(a.steps, b.steps) << index;
    EXPECT_FALSE(a.steps.empty()) << index;
  }
}

TEST(Mutate, IndexesAndRunSeedsGiveDifferentMutants) {
  std::set<std::vector<std::byte>> seen;
  for (std::uint64_t index = 0; index < 200; ++index) {
    seen.insert(mutate(program(), 1, index).bytes);
  }
  EXPECT_GT(seen.size(), 190U);
  EXPECT_NE(mutate(program(), 1, 5).steps, mutate(program(), 2, 5).steps);
}

TEST(Mutate, TinyAndEmptySeeds) {
  for (std::uint64_t index = 0; index < 50; ++index) {
    EXPECT_FALSE(mutate({}, 1, index).steps.empty());
    const std::vector<std::byte> two(2, std::byte{0x7f});
    EXPECT_FALSE(mutate(two, 1, index).steps.empty());
  }
}

// Every mutation applies to a real program (or to a marked one, for
// those that need a marker) and changes its bytes.
TEST(Mutate, EveryMutationChangesARealProgram) {
  for (unsigned m = 0; m < kMutationCount; ++m) {
    const auto mutation = static_cast<Mutation>(m);
    unsigned changed = 0;
    for (std::uint64_t i = 0; i < 64; ++i) {
      std::vector<std::byte> bytes =
          mutation == Mutation::MarkerFields ? markedProgram() : program();
      const std::vector<std::byte> before = bytes;
      Rng rng = rngFor(3, i);
      const std::string what = applyMutation(mutation, bytes, rng);
      if (what.empty()) {
        EXPECT_EQ(before, bytes) << mutationName(mutation);
      } else if (bytes != before) {
        ++changed;
      }
    }
    EXPECT_GE(changed, 32U) << mutationName(mutation);
  }
}

TEST(MarkerNote, LayoutIsTheUapiOne) {
  const auto note =
      markerNote(KML_NOTE_VERSION, KML_NOTE_F_ENABLE, sizeof(struct kml_note));
  ASSERT_EQ(sizeof(Elf64_Nhdr) + 4 + sizeof(struct kml_note), note.size());
  Elf64_Nhdr header;
  std::memcpy(&header, note.data(), sizeof header);
  EXPECT_EQ(KML_NOTE_NAMESZ, header.n_namesz);
  EXPECT_EQ(sizeof(struct kml_note), header.n_descsz);
  EXPECT_EQ(NT_KML_MARKER, header.n_type);
  EXPECT_EQ(0, std::memcmp(note.data() + sizeof header, "KML", 4));
  struct kml_note desc = {};
  std::memcpy(&desc, note.data() + sizeof header + 4, sizeof desc);
  EXPECT_EQ(KML_NOTE_VERSION, desc.version);
  EXPECT_EQ(KML_NOTE_F_ENABLE, desc.flags);
  // The marker needs no padding, so it reads the same in a 4- and an
  // 8-aligned note segment (docs/marker.md); gABI layout for odd sizes.
  EXPECT_EQ(note, markerNote(KML_NOTE_VERSION, KML_NOTE_F_ENABLE,
                             sizeof(struct kml_note), 8));
  EXPECT_EQ(sizeof(Elf64_Nhdr) + 4 + 36, markerNote(1, 1, 33).size());
  EXPECT_EQ(56U, markerNote(1, 1, 33, 8).size());
  EXPECT_EQ(sizeof(Elf64_Nhdr) + 4 + 4, markerNote(1, 1, 4).size());
}

TEST(FindNotes, FindsTheMarkerKmlWrote) {
  const ElfImage image(markedProgram());
  const auto &marker = image.marker();
  // Not ASSERT_TRUE: clang-tidy 19 does not see that it returns.
  if (!marker) {
    FAIL() << "kml's program has no marker";
  }
  unsigned markers = 0;
  for (const NoteRef &note : findNotes(markedProgram())) {
    if (note.kmlMarker) {
      ++markers;
      EXPECT_EQ(marker->noteOffset, note.offset);
      EXPECT_EQ(sizeof(struct kml_note), note.descsz);
    }
  }
  EXPECT_EQ(1U, markers);
  for (const NoteRef &note : findNotes(program())) {
    EXPECT_FALSE(note.kmlMarker);
  }
}

// MarkerNote mutants are what kml's reader says they are: the marker kml
// finds is one the mutator put there (or the file is refused).
TEST(FindNotes, MarkerNoteMutantsAgreeWithKml) {
  unsigned marked = 0;
  for (std::uint64_t i = 0; i < 300; ++i) {
    std::vector<std::byte> bytes = program();
    Rng rng = rngFor(11, i);
    const std::string what = applyMutation(Mutation::MarkerNote, bytes, rng);
    ASSERT_FALSE(what.empty());
    std::set<std::uint64_t> found;
    for (const NoteRef &note : findNotes(bytes)) {
      if (note.kmlMarker) {
        found.insert(note.offset);
      }
    }
    try {
      const ElfImage image(bytes);
      if (const auto &marker = image.marker()) {
        ++marked;
        EXPECT_TRUE(found.contains(marker->noteOffset)) << what;
      }
    } catch (const ElfError &error) {
      SUCCEED() << error.what();
    }
  }
  EXPECT_GT(marked, 50U);
}

TEST(TruncationPoints, SortedInsideTheFileAndAtTheHeaders) {
  const auto points = truncationPoints(program());
  ASSERT_FALSE(points.empty());
  EXPECT_TRUE(std::ranges::is_sorted(points));
  EXPECT_EQ(std::ranges::adjacent_find(points), points.end());
  EXPECT_LT(points.back(), program().size());
  Elf64_Ehdr eh;
  std::memcpy(&eh, program().data(), sizeof eh);
  for (const std::uint64_t at :
       {std::uint64_t{EI_NIDENT}, std::uint64_t{sizeof eh}, eh.e_phoff,
        eh.e_phoff + eh.e_phnum * sizeof(Elf64_Phdr) - 1, eh.e_shoff}) {
    EXPECT_TRUE(std::ranges::binary_search(points, at)) << at;
  }
  EXPECT_TRUE(truncationPoints({}).empty());
}

} // namespace
} // namespace kml::fuzz
