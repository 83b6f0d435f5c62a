// The rewriter's call-frame reader (syscall-shim/src/frame_info.cpp) on
// programs/frames.S: at each labelled row, the instructions a stub's FDE
// gets are the FDE's own up to that row, location advances and padding
// dropped, in the order the assembler wrote them.

#include "support.hpp"

#include "elf_view.hpp"
#include "frame_info.hpp"
#include "kml/elf_image.hpp"

#include <dwarf.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kml::rwtest {
namespace {

using rewrite::ElfView;
using rewrite::FrameInfo;
using Bytes = std::vector<std::uint8_t>;

constexpr std::uint8_t kRsp = 7, kRbp = 6; // DWARF x86-64 register numbers

// What frames.S's directives assemble to (data alignment -8).
const Bytes kPrologue = {DW_CFA_def_cfa_offset,   16,  DW_CFA_offset | kRbp, 2,
                         DW_CFA_def_cfa_register, kRbp};
const Bytes kEarlyReturn = {DW_CFA_remember_state, DW_CFA_def_cfa, kRsp, 8};
const Bytes kRestored = {DW_CFA_restore_state};

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes &part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

class FrameInfoTest : public ::testing::TestWithParam<std::string> {
protected:
  FrameInfoTest()
      : image_(readBytes(program(GetParam()))), view_(image_),
        frames_(view_, image_) {}

  [[nodiscard]] std::uint64_t symbol(const std::string &name) const {
    for (const auto &[address, sym] : view_.symbols()) {
      if (sym.name == name) {
        return address;
      }
    }
    ADD_FAILURE() << "no symbol " << name;
    return 0;
  }
  [[nodiscard]] std::optional<Bytes>
  instructionsAt(std::uint64_t address) const {
    const auto frame = frames_.frameAt(address);
    if (!frame) {
      return std::nullopt;
    }
    return frame->instructions;
  }

  ElfImage image_;
  ElfView view_;
  FrameInfo frames_;
};

TEST_P(FrameInfoTest, ReadsTheTableAndKnowsWhetherAHeaderIsNeeded) {
  EXPECT_TRUE(frames_.available());
  // ld makes no .eh_frame_hdr for -static unless asked (--eh-frame-hdr).
  EXPECT_EQ(frames_.needsHeader(), GetParam() == "frames");
}

TEST_P(FrameInfoTest, FunctionEntryHasOnlyTheCiesRules) {
  const auto frame = frames_.frameAt(symbol("frame_probe"));
  // Not ASSERT_TRUE: clang-tidy 19 does not see that it returns.
  if (!frame) {
    FAIL() << "no unwind information for frame_probe";
  }
  EXPECT_EQ(frame->instructions, Bytes{});
  // gas writes a "zR" CIE with PC-relative 4-byte pointers.
  EXPECT_EQ(frame->encoding, DW_EH_PE_pcrel | DW_EH_PE_sdata4);
  EXPECT_TRUE(frame->augmented);
  EXPECT_EQ(frame->augmentationSize, 0U);
  EXPECT_NE(frame->cie, 0U);
}

TEST_P(FrameInfoTest, ReplaysEachRowUpToTheAddress) {
  EXPECT_EQ(instructionsAt(symbol("frame_body")), kPrologue);
  // Inside a row (the second byte of `mov $39,%eax`): the same row.
  EXPECT_EQ(instructionsAt(symbol("frame_body") + 1), kPrologue);
  EXPECT_EQ(instructionsAt(symbol("frame_early_return")),
            concat({kPrologue, kEarlyReturn}));
  // restore_state is copied with its remember_state, so that the CIE plus
  // these instructions end in the row the function has here.
  EXPECT_EQ(instructionsAt(symbol("frame_restored")),
            concat({kPrologue, kEarlyReturn, kRestored}));
}

TEST_P(FrameInfoTest, LastByteOfTheFunctionHasItsLastRow) {
  const rewrite::Symbol *probe = nullptr;
  for (const auto &[address, sym] : view_.symbols()) {
    if (sym.name == "frame_probe") {
      probe = &sym;
    }
  }
  ASSERT_NE(probe, nullptr);
  ASSERT_NE(probe->size, 0U);
  const Bytes lastRow = {DW_CFA_def_cfa, kRsp, 8};
  EXPECT_EQ(instructionsAt(probe->address + probe->size - 1),
            concat({kPrologue, kEarlyReturn, kRestored, lastRow}));
}

TEST_P(FrameInfoTest, NoFrameOutsideEveryFde) {
  EXPECT_FALSE(frames_.frameAt(symbol("_start")));
}

TEST_P(FrameInfoTest, StubFdeReusesTheSitesCieAndListsEveryFde) {
  const std::uint64_t site = symbol("frame_body");
  const auto frame = frames_.frameAt(site);
  if (!frame) {
    FAIL() << "no unwind information at the site";
  }
  constexpr std::uint64_t kTable = 0x800000;
  const std::size_t fdeBytes = frame->size();
  std::uint64_t hdr = 0;
  const auto out =
      frames_.write(kTable, {{kTable - 0x100, kTable - 0xf0, *frame}}, hdr);
  EXPECT_EQ(out.size(), frames_.tableSize(fdeBytes, 1));
  auto u32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) {
      v |= std::to_integer<std::uint32_t>(out.at(at + i)) << (8 * i);
    }
    return v;
  };
  EXPECT_EQ(u32(0), fdeBytes - 4);            // length
  EXPECT_EQ(kTable + 4 - u32(4), frame->cie); // CIE pointer
  EXPECT_EQ(hdr, kTable + fdeBytes + 4);      // after the terminator
  EXPECT_EQ(std::to_integer<int>(out.at(hdr - kTable)), 1); // version
  // frames.S has one FDE; the stub's makes two.
  EXPECT_EQ(u32(hdr - kTable + 8), 2U);
}

INSTANTIATE_TEST_SUITE_P(Programs, FrameInfoTest,
                         ::testing::Values("frames", "frames-hdr"),
                         [](const auto &info) {
                           return paramName(info.param);
                         });

} // namespace
} // namespace kml::rwtest
