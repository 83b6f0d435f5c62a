// The fallback `syscall` of a `kml rewrite` stub: accepted only in the
// rewriter's code (.kml.text, or its segment without sections) and only in
// the exact stub shape (docs/syscall-shim.md, "A stub"); any other
// `syscall` is still KML-B001.
#include "elf_builder.hpp"
#include "kml/binary_validator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace kml::binval {
namespace {

constexpr std::uint64_t kData = 0x402000;    // the rewriter's slot segment
constexpr std::uint64_t kText = 0x403000;    // .kml.text
constexpr std::uint64_t kSiteEnd = 0x401234; // back in the program's .text

// Emits code at known addresses, as syscall-shim's CodeWriter does.
class Code {
public:
  std::uint64_t here() const { return kText + bytes.size(); }
  void emit(std::initializer_list<std::uint8_t> list) {
    bytes.insert(bytes.end(), list);
  }
  // rel32 to `target` from the end of a field that ends `tail` bytes later.
  void rel32(std::uint64_t target, std::uint64_t tail = 0) {
    const auto value = static_cast<std::int32_t>(target - (here() + 4 + tail));
    std::uint8_t raw[4];
    std::memcpy(raw, &value, 4);
    bytes.insert(bytes.end(), raw, raw + 4);
  }
  void rel8(std::uint64_t target) {
    bytes.push_back(static_cast<std::uint8_t>(target - (here() + 1)));
  }
  std::vector<std::uint8_t> bytes;
};

struct StubOptions {
  std::vector<std::uint8_t> after; // moved instructions after the site
  std::uint64_t slot = kData;      // the mov slot(%rip) operand
  std::uint64_t jumpSlot = kData;  // the jmp *slot(%rip) operand
  std::int64_t jrcxzSkew = 0;      // added to the jrcxz target
  std::uint64_t siteEnd = kSiteEnd;
};

// The bytes syscall-shim/src/stub_writer.cpp writeStub emits, laid out at
// kText (after a `ret` so the stub is not the region's first byte).
std::vector<std::uint8_t> stub(const StubOptions &o = {}) {
  Code out;
  out.emit({0xc3, 0xcc, 0xcc, 0xcc}); // the prologue's end, padding
  const std::uint64_t t = out.here();
  const std::uint64_t r = t + 24;
  const std::uint64_t n = r + o.after.size() + 5;
  out.emit({0x48, 0x8b, 0x0d}); // mov slot(%rip),%rcx
  out.rel32(o.slot);
  out.emit({0xe3}); // jrcxz N
  out.rel8(n + o.jrcxzSkew);
  out.emit({0x48, 0x8d, 0x0d}); // lea R(%rip),%rcx
  out.rel32(r);
  out.emit({0xff, 0x25}); // jmp *slot(%rip)
  out.rel32(o.jumpSlot);
  out.emit({0xeb}); // jmp T
  out.rel8(t);
  out.bytes.insert(out.bytes.end(), o.after.begin(), o.after.end());
  out.emit({0xe9}); // jmp site_end
  out.rel32(o.siteEnd);
  out.emit({0x0f, 0x05}); // N: syscall
  if (o.after.empty()) {
    out.emit({0xe9}); // jmp site_end
    out.rel32(o.siteEnd);
  } else {
    out.emit({0xeb}); // jmp R
    out.rel8(r);
  }
  return out.bytes;
}

test::ElfLayout rewriterLayout() {
  test::ElfLayout layout;
  layout.textAddress = kText;
  layout.textName = ".kml.text";
  layout.dataAddress = kData;
  layout.withSymbols = false; // the rewriter adds no symbols for stubs
  return layout;
}

Report validate(const std::vector<std::uint8_t> &code,
                const test::ElfLayout &layout = rewriterLayout()) {
  return validateImage(test::buildElf(code, layout).bytes);
}

// The one expected finding: the `syscall` is still KML-B001.
void expectSyscallFinding(const Report &report) {
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B001");
  EXPECT_EQ(report.findings[0].instruction, "syscall");
  EXPECT_EQ(report.stubFallbacks, 0u);
}

TEST(RewriterStub, FallbackWithMovedInstructionsIsAccepted) {
  // mov %rax,%rdx; add $1,%rdi: moved from after the site.
  Report report =
      validate(stub({.after = {0x48, 0x89, 0xc2, 0x48, 0x83, 0xc7, 0x01}}));
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.stubFallbacks, 1u);
}

TEST(RewriterStub, FallbackWithNothingMovedIsAccepted) {
  Report report = validate(stub());
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.stubFallbacks, 1u);
}

TEST(RewriterStub, AcceptedInTheRewriterSegmentWithoutSections) {
  test::ElfLayout layout = rewriterLayout();
  layout.withSections = false;
  Report report = validate(stub({.after = {0x48, 0x89, 0xc2}}), layout);
  EXPECT_TRUE(report.findings.empty());
  EXPECT_EQ(report.stubFallbacks, 1u);
}

TEST(RewriterStub, BareSyscallInKmlTextIsReported) {
  expectSyscallFinding(validate({0x0f, 0x05, 0xc3}));
}

TEST(RewriterStub, StubShapeOutsideKmlTextIsReported) {
  test::ElfLayout layout = rewriterLayout();
  layout.textName = ".text";
  expectSyscallFinding(validate(stub(), layout));
}

TEST(RewriterStub, WithoutSectionsOnlyTheSegmentAfterTheSlotsCounts) {
  test::ElfLayout layout = rewriterLayout();
  layout.withSections = false;
  layout.dataAddress = 0; // no writable segment before the code
  expectSyscallFinding(validate(stub(), layout));
}

TEST(RewriterStub, WithoutKmlDataTheSlotIsUnknown) {
  test::ElfLayout layout = rewriterLayout();
  layout.dataName = ".data";
  expectSyscallFinding(validate(stub(), layout));
}

TEST(RewriterStub, SlotOutsideAWritableSegmentIsReported) {
  // A "slot" in read-only memory would always hold 0 at CPL 0.
  expectSyscallFinding(validate(
      stub({.after = {}, .slot = kText + 0x800, .jumpSlot = kText + 0x800})));
}

TEST(RewriterStub, DifferentSlotsForCheckAndEntryAreReported) {
  expectSyscallFinding(validate(stub({.after = {}, .jumpSlot = kData + 8})));
}

TEST(RewriterStub, JrcxzNotOnTheSyscallIsReported) {
  expectSyscallFinding(
      validate(stub({.after = {0x48, 0x89, 0xc2}, .jrcxzSkew = -3})));
}

TEST(RewriterStub, BranchAmongMovedInstructionsIsReported) {
  // jmp +5 lands on the syscall past the slot check.
  expectSyscallFinding(validate(stub({.after = {0xeb, 0x05}})));
}

TEST(RewriterStub, JumpBackIntoTheStubsIsReported) {
  // site_end must be the program's code, not another spot in .kml.text.
  expectSyscallFinding(validate(stub({.after = {}, .siteEnd = kText})));
}

TEST(RewriterStub, OtherRulesStillApplyInsideAStub) {
  // A moved `cli` is banned on its own; the stub is not accepted either.
  Report report = validate(stub({.after = {0xfa}}));
  ASSERT_EQ(report.findings.size(), 2u);
  EXPECT_EQ(report.findings[0].ruleId, "KML-B007");
  EXPECT_EQ(report.findings[1].ruleId, "KML-B001");
}

} // namespace
} // namespace kml::binval
