#include "rewritten_image.hpp"

#include "image_memory.hpp"
#include "x86_decoder.hpp"

#include "kml/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <string_view>

namespace kml {
namespace {

constexpr std::string_view kStubSection = ".kml.text";
// Same length as kStubSection: the name is overwritten in place.
constexpr std::string_view kRenamedSection = ".kml.stub";
constexpr std::uint64_t kMaxInstruction = 15;
constexpr std::uint64_t kStubAlignment = 16;
// The site planner moves at most three neighbours on each side.
constexpr int kMaxMoved = 8;
// The transfer sequence (stub_writer.cpp): mov slot(%rip),%rcx; jrcxz N;
// lea R(%rip),%rcx; jmp *slot(%rip); jmp T. R follows it.
constexpr std::uint64_t kTransferLength = 24;
// A library's stub checks whether its finder ran before the fallback:
// mov looked(%rip),%rcx; jrcxz F.
constexpr std::uint64_t kFinderCheckLength = 9;
constexpr std::byte kNop{0x90};
constexpr std::byte kTrapByte{0x06};
constexpr std::byte kHalt{0xf4};

std::uint8_t byteAt(std::span<const std::byte> bytes, std::size_t i) {
  return std::to_integer<std::uint8_t>(bytes[i]);
}

bool startsWith(std::span<const std::byte> bytes, std::size_t at,
                std::initializer_list<std::uint8_t> expected) {
  if (bytes.size() < at + expected.size()) {
    return false;
  }
  std::size_t i = at;
  for (const std::uint8_t b : expected) {
    if (byteAt(bytes, i++) != b) {
      return false;
    }
  }
  return true;
}

struct StubShape {
  std::vector<DecodedInstruction> before;
  std::vector<DecodedInstruction> after;
  std::uint64_t siteEnd = 0;
};

class StubReader {
public:
  StubReader(const ImageMemory &memory, const X86Decoder &decoder)
      : memory_(memory), decoder_(decoder) {}

  // The stub at `stub`, if its bytes have exactly the stub's shape.
  [[nodiscard]] std::optional<StubShape> read(std::uint64_t stub) const {
    StubShape shape;
    std::uint64_t at = stub;
    std::optional<std::uint64_t> transfer;
    for (int i = 0; i <= kMaxMoved && !transfer; ++i) {
      if (isTransfer(at)) {
        transfer = at;
        break;
      }
      auto insn = decodeAt(at);
      if (!insn) {
        return std::nullopt;
      }
      at = insn->end();
      shape.before.push_back(std::move(*insn));
    }
    if (!transfer) {
      return std::nullopt;
    }
    at = *transfer + kTransferLength;
    for (int i = 0; i <= kMaxMoved; ++i) {
      auto insn = decodeAt(at);
      if (!insn) {
        return std::nullopt;
      }
      if (insn->jumpTarget) {
        // `jmp site_end`, then N: the fallback `syscall`, in a library's
        // stub after the finder's check (docs/dynamic.md).
        if (!fallbackFollows(insn->end())) {
          return std::nullopt;
        }
        shape.siteEnd = *insn->jumpTarget;
        return shape;
      }
      at = insn->end();
      shape.after.push_back(std::move(*insn));
    }
    return std::nullopt;
  }

private:
  // `syscall`, or `mov looked(%rip),%rcx; jrcxz F; syscall`.
  [[nodiscard]] bool fallbackFollows(std::uint64_t at) const {
    const auto bytes = memory_.at(at, kFinderCheckLength + 2);
    if (const auto native = memory_.at(at, 2);
        native && startsWith(*native, 0, {0x0f, 0x05})) {
      return true;
    }
    return bytes && startsWith(*bytes, 0, {0x48, 0x8b, 0x0d}) &&
           byteAt(*bytes, 7) == 0xe3 &&
           startsWith(*bytes, kFinderCheckLength, {0x0f, 0x05});
  }

  [[nodiscard]] bool isTransfer(std::uint64_t at) const {
    const auto bytes = memory_.at(at, kTransferLength);
    return bytes && startsWith(*bytes, 0, {0x48, 0x8b, 0x0d}) &&
           byteAt(*bytes, 7) == 0xe3 &&
           startsWith(*bytes, 9, {0x48, 0x8d, 0x0d}) &&
           startsWith(*bytes, 16, {0xff, 0x25}) && byteAt(*bytes, 22) == 0xeb;
  }

  [[nodiscard]] std::optional<DecodedInstruction>
  decodeAt(std::uint64_t at) const {
    return decoder_.decode(memory_.upTo(at, kMaxInstruction), at);
  }

  const ImageMemory &memory_;
  const X86Decoder &decoder_;
};

std::uint64_t movedLength(const std::vector<DecodedInstruction> &insns) {
  std::uint64_t length = 0;
  for (const DecodedInstruction &insn : insns) {
    length += insn.length();
  }
  return length;
}

// The bytes of `insn` as they were at `address`: a RIP-relative
// displacement names the same place from there.
std::vector<std::byte> movedBack(const DecodedInstruction &insn,
                                 std::uint64_t address) {
  std::vector<std::byte> bytes = insn.bytes;
  if (insn.ripDisplacementOffset) {
    const auto displacement =
        static_cast<std::int64_t>(insn.ripTarget - (address + insn.length()));
    if (displacement < std::numeric_limits<std::int32_t>::min() ||
        displacement > std::numeric_limits<std::int32_t>::max()) {
      throw RecoveryError(cat("the instruction moved from ", Hex{address},
                              " names a place out of its reach"));
    }
    const auto disp32 = static_cast<std::int32_t>(displacement);
    std::memcpy(bytes.data() + *insn.ripDisplacementOffset, &disp32,
                sizeof(disp32));
  }
  return bytes;
}

class Restorer {
public:
  Restorer(const ElfImage &image, const X86Decoder &decoder)
      : image_(image), decoder_(decoder),
        sections_(readSections(image.bytes(), image.header())),
        memory_(image.bytes(), image.programHeaders()) {
    const auto stubs =
        std::ranges::find(sections_, kStubSection, &SectionInfo::name);
    if (stubs == sections_.end()) {
      throw RecoveryError("no .kml.text section: the stubs cannot be told "
                          "from the program's own code");
    }
    stubs_ = *stubs;
  }

  RestoredImage restore() {
    RestoredImage out;
    out.bytes.assign(image_.bytes().begin(), image_.bytes().end());
    const StubReader reader(memory_, decoder_);
    for (const SectionInfo &section : sections_) {
      if (section.isCode() && section.index != stubs_.index) {
        findSites(section, reader, out);
      }
    }
    std::ranges::sort(out.sites, {}, &RecoveredSite::start);
    const ImageMemory restored(out.bytes, image_.programHeaders());
    for (const SectionInfo &section : sections_) {
      if (section.isCode() && section.index != stubs_.index) {
        out.haltsRestored += restoreHalts(section, restored, out.bytes);
      }
    }
    hideStubSection(out.bytes);
    return out;
  }

private:
  // Every `jmp rel32` into the stub section whose target is a stub and
  // whose range ends in nops where the stub says.
  void findSites(const SectionInfo &section, const StubReader &reader,
                 RestoredImage &out) const {
    const auto bytes = memory_.at(section.address, section.size);
    if (!bytes) {
      return;
    }
    for (std::uint64_t i = 0; i + 5 <= bytes->size(); ++i) {
      if (byteAt(*bytes, i) != 0xe9) {
        continue;
      }
      std::int32_t rel = 0;
      std::memcpy(&rel, bytes->data() + i + 1, sizeof(rel));
      const std::uint64_t start = section.address + i;
      const std::uint64_t stub = start + 5 + static_cast<std::uint64_t>(rel);
      if (!stubs_.containsAddress(stub) || stub % kStubAlignment != 0) {
        continue;
      }
      const auto shape = reader.read(stub);
      if (!shape || !rangeMatches(*bytes, i, start, *shape)) {
        continue;
      }
      putBack(start, *shape, out);
      out.sites.push_back({.start = start,
                           .end = shape->siteEnd,
                           .syscall = start + movedLength(shape->before),
                           .stub = stub});
      i = shape->siteEnd - section.address - 1;
    }
  }

  static bool rangeMatches(std::span<const std::byte> bytes, std::uint64_t i,
                           std::uint64_t start, const StubShape &shape) {
    const std::uint64_t length =
        movedLength(shape.before) + 2 + movedLength(shape.after);
    if (length < 5 || shape.siteEnd != start + length ||
        i + length > bytes.size()) {
      return false;
    }
    return std::all_of(bytes.begin() + static_cast<std::ptrdiff_t>(i + 5),
                       bytes.begin() + static_cast<std::ptrdiff_t>(i + length),
                       [](std::byte b) { return b == kNop; });
  }

  void putBack(std::uint64_t start, const StubShape &shape,
               RestoredImage &out) const {
    std::vector<std::byte> original;
    std::uint64_t at = start;
    const auto append = [&](const DecodedInstruction &insn) {
      const auto bytes = movedBack(insn, at);
      original.insert(original.end(), bytes.begin(), bytes.end());
      at += bytes.size();
    };
    std::ranges::for_each(shape.before, append);
    original.push_back(std::byte{0x0f});
    original.push_back(std::byte{0x05});
    at += 2;
    std::ranges::for_each(shape.after, append);
    const auto offset = memory_.fileOffset(start, original.size());
    if (!offset) {
      throw RecoveryError(
          cat("the site at ", Hex{start}, " is not in the file"));
    }
    std::ranges::copy(original,
                      out.bytes.begin() + static_cast<std::ptrdiff_t>(*offset));
  }

  // A trap byte where the sweep expects an instruction was a `hlt`.
  [[nodiscard]] std::size_t restoreHalts(const SectionInfo &section,
                                         const ImageMemory &restored,
                                         std::vector<std::byte> &bytes) const {
    std::size_t count = 0;
    const std::uint64_t end = section.address + section.size;
    for (std::uint64_t at = section.address; at < end;) {
      const auto code = restored.upTo(at, std::min(kMaxInstruction, end - at));
      if (code.empty()) {
        break;
      }
      if (auto insn = decoder_.decode(code, at)) {
        at = insn->end();
        continue;
      }
      const auto offset = restored.fileOffset(at, 1);
      if (code[0] == kTrapByte && offset) {
        bytes[*offset] = kHalt;
        ++count;
      }
      ++at;
    }
    return count;
  }

  // The analysis refuses a file with .kml.text and would take the stubs
  // for code: rename the section and drop its execute flag in the copy.
  void hideStubSection(std::vector<std::byte> &bytes) const {
    const std::size_t names = image_.header().e_shstrndx;
    const std::uint64_t nameAt = sections_[names].offset + stubs_.nameOffset;
    std::memcpy(bytes.data() + nameAt, kRenamedSection.data(),
                kRenamedSection.size());
    Elf64_Shdr header{};
    std::memcpy(&header, bytes.data() + stubs_.headerOffset, sizeof(header));
    header.sh_flags &= ~static_cast<std::uint64_t>(SHF_EXECINSTR);
    std::memcpy(bytes.data() + stubs_.headerOffset, &header, sizeof(header));
  }

  const ElfImage &image_;
  const X86Decoder &decoder_;
  std::vector<SectionInfo> sections_;
  ImageMemory memory_;
  SectionInfo stubs_;
};

} // namespace

bool isRewritten(const ElfImage &image) {
  return std::ranges::any_of(
      readSections(image.bytes(), image.header()),
      [](const SectionInfo &section) { return section.name == kStubSection; });
}

RestoredImage restoreOriginal(const ElfImage &rewritten,
                              const X86Decoder &decoder) {
  return Restorer(rewritten, decoder).restore();
}

} // namespace kml
