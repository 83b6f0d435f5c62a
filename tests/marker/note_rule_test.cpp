// The reader rule in linux/kml_note.h: what the kernel does with a marker.

#include <linux/kml_note.h>

#include <gtest/gtest.h>

extern "C" int kml_test_decide_in_c(__u32 version, __u32 flags, __u32 descsz);

namespace {

enum kml_note_verdict decide(__u32 version, __u32 flags,
                             __u32 descsz = sizeof(struct kml_note)) {
  struct kml_note note = {};
  note.version = version;
  note.flags = flags;
  return kml_note_decide(&note, descsz);
}

TEST(NoteRule, EnabledCurrentVersionRunsInKernelMode) {
  EXPECT_EQ(decide(KML_NOTE_VERSION, KML_NOTE_F_ENABLE), KML_NOTE_RUN_KML);
}

TEST(NoteRule, DisabledRunsNormallyWhateverElseItSays) {
  EXPECT_EQ(decide(1, 0), KML_NOTE_RUN_NORMAL);
  EXPECT_EQ(decide(KML_NOTE_VERSION + 1, 0), KML_NOTE_RUN_NORMAL);
  EXPECT_EQ(decide(1, 1U << 7), KML_NOTE_RUN_NORMAL);
  EXPECT_EQ(decide(0, 0), KML_NOTE_RUN_NORMAL);
}

TEST(NoteRule, EnabledNewerVersionIsRefused) {
  EXPECT_EQ(decide(KML_NOTE_VERSION + 1, KML_NOTE_F_ENABLE), KML_NOTE_REFUSE);
}

TEST(NoteRule, EnabledVersionZeroIsRefused) {
  EXPECT_EQ(decide(0, KML_NOTE_F_ENABLE), KML_NOTE_REFUSE);
}

TEST(NoteRule, EnabledUnknownFlagIsRefused) {
  EXPECT_EQ(decide(1, KML_NOTE_F_ENABLE | (1U << 2)), KML_NOTE_REFUSE);
  EXPECT_EQ(decide(1, KML_NOTE_F_ENABLE | (1U << 31)), KML_NOTE_REFUSE);
}

TEST(NoteRule, BypassBitIsKnownAndDoesNotChangeTheVerdict) {
  EXPECT_EQ(decide(1, KML_NOTE_F_ENABLE | KML_NOTE_F_BYPASS), KML_NOTE_RUN_KML);
  EXPECT_EQ(decide(1, KML_NOTE_F_BYPASS), KML_NOTE_RUN_NORMAL);
}

TEST(NoteRule, TooShortDescriptorIsRefused) {
  EXPECT_EQ(decide(1, KML_NOTE_F_ENABLE, KML_NOTE_MIN_DESCSZ - 1),
            KML_NOTE_REFUSE);
  EXPECT_EQ(decide(1, KML_NOTE_F_ENABLE, KML_NOTE_MIN_DESCSZ),
            KML_NOTE_RUN_KML);
}

TEST(NoteRule, LayoutIsStable) {
  // version and flags must stay at offsets 0 and 4 forever (kml_note.h).
  EXPECT_EQ(offsetof(struct kml_note, version), 0U);
  EXPECT_EQ(offsetof(struct kml_note, flags), 4U);
  EXPECT_EQ(sizeof(struct kml_note), 32U);
  EXPECT_EQ(KML_NOTE_F_ENABLE, 1U);
}

} // namespace

namespace {

TEST(NoteRule, CAndCxxBuildsOfTheHeaderAgree) {
  for (__u32 version : {0U, 1U, 2U}) {
    for (__u32 flags : {0U, 1U, 2U, 3U, 5U, 0x80000001U}) {
      for (__u32 descsz : {4U, 8U, 32U, 64U}) {
        EXPECT_EQ(kml_test_decide_in_c(version, flags, descsz),
                  static_cast<int>(decide(version, flags, descsz)))
            << version << " " << flags << " " << descsz;
      }
    }
  }
}

} // namespace
