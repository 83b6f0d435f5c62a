#include "frame_info.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace kml::rewrite {
namespace {

// DWARF exception-header pointer encodings (LSB Core, .eh_frame).
constexpr std::uint8_t kAbsPtr = 0x00, kUleb = 0x01, kUdata2 = 0x02,
                       kUdata4 = 0x03, kUdata8 = 0x04, kSleb = 0x09,
                       kSdata2 = 0x0a, kSdata4 = 0x0b, kSdata8 = 0x0c;
constexpr std::uint8_t kPcRel = 0x10, kDataRel = 0x30;
constexpr std::uint8_t kOmit = 0xff;

// Reads little-endian values and LEB128 numbers from the program's mapped
// bytes; any read outside them clears ok() and returns 0.
class Reader {
public:
  Reader(const ElfView &elf, std::uint64_t address)
      : elf_(elf), address_(address) {}
  std::uint64_t address() const { return address_; }
  bool ok() const { return ok_; }

  std::uint64_t fixed(unsigned size) {
    const auto bytes = elf_.at(address_, size);
    if (!bytes) {
      ok_ = false;
      return 0;
    }
    std::uint64_t value = 0;
    std::memcpy(&value, bytes->data(), size);
    address_ += size;
    return value;
  }
  std::uint8_t u8() { return static_cast<std::uint8_t>(fixed(1)); }
  std::uint64_t uleb() {
    std::uint64_t value = 0;
    for (unsigned shift = 0; ok_ && shift < 64; shift += 7) {
      const std::uint8_t b = u8();
      value |= std::uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    ok_ = false;
    return 0;
  }
  std::int64_t sleb() {
    std::int64_t value = 0;
    unsigned shift = 0;
    std::uint8_t b = 0x80;
    while (ok_ && (b & 0x80) && shift < 64) {
      b = u8();
      value |= std::int64_t{b & 0x7f} << shift;
      shift += 7;
    }
    if (shift < 64 && (b & 0x40)) {
      value |= -(std::int64_t{1} << shift);
    }
    return value;
  }
  // A pointer in `encoding`; dataBase for datarel. Indirect and aligned
  // encodings are not used by GNU toolchains here: refused.
  std::uint64_t pointer(std::uint8_t encoding, std::uint64_t dataBase = 0) {
    const std::uint64_t field = address_;
    std::uint64_t value = 0;
    switch (encoding & 0x0f) {
    case kAbsPtr:
    case kUdata8:
    case kSdata8:
      value = fixed(8);
      break;
    case kUdata4:
      value = fixed(4);
      break;
    case kSdata4:
      value = static_cast<std::uint64_t>(
          static_cast<std::int64_t>(static_cast<std::int32_t>(fixed(4))));
      break;
    case kUdata2:
      value = fixed(2);
      break;
    case kSdata2:
      value = static_cast<std::uint64_t>(
          static_cast<std::int64_t>(static_cast<std::int16_t>(fixed(2))));
      break;
    case kUleb:
      value = uleb();
      break;
    case kSleb:
      value = static_cast<std::uint64_t>(sleb());
      break;
    default:
      ok_ = false;
      return 0;
    }
    switch (encoding & 0x70) {
    case 0:
      return value;
    case kPcRel:
      return value + field;
    case kDataRel:
      return value + dataBase;
    default:
      ok_ = false;
      return 0;
    }
  }
  void skip(std::uint64_t size) {
    if (size != 0 && !elf_.at(address_, size)) {
      ok_ = false;
    }
    address_ += size;
  }

private:
  const ElfView &elf_;
  std::uint64_t address_;
  bool ok_ = true;
};

// Size of a pointer field in `encoding`, for the fixed-size ones the FDEs
// we write use; 0 when unsupported.
unsigned fixedSize(std::uint8_t encoding) {
  switch (encoding & 0x0f) {
  case kAbsPtr:
  case kUdata8:
  case kSdata8:
    return 8;
  case kUdata4:
  case kSdata4:
    return 4;
  default:
    return 0;
  }
}

void put(std::vector<std::byte> &out, std::uint64_t value, unsigned size) {
  for (unsigned i = 0; i < size; ++i) {
    out.push_back(static_cast<std::byte>(value >> (8 * i)));
  }
}

void putUleb(std::vector<std::byte> &out, std::uint64_t value) {
  do {
    std::uint8_t b = value & 0x7f;
    value >>= 7;
    out.push_back(static_cast<std::byte>(value ? b | 0x80 : b));
  } while (value != 0);
}

std::size_t ulebSize(std::uint64_t value) {
  std::size_t n = 1;
  while (value >>= 7) {
    ++n;
  }
  return n;
}

std::int32_t fit32(std::int64_t value) {
  if (value < INT32_MIN || value > INT32_MAX) {
    throw std::range_error("unwind table offset out of range");
  }
  return static_cast<std::int32_t>(value);
}

constexpr std::size_t kHdrFixed = 12; // version, encodings, ptr, count

} // namespace

std::size_t StubFrame::size() const {
  const std::size_t field = fixedSize(encoding);
  std::size_t n = 4 + 4 + 2 * field + instructions.size();
  if (augmented) {
    n += ulebSize(augmentationSize) + augmentationSize;
  }
  return (n + 7) & ~std::size_t{7};
}

FrameInfo::FrameInfo(const ElfView &elf, const ElfImage &image) : elf_(elf) {
  pie_ = image.header().e_type == ET_DYN;
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_GNU_EH_FRAME && ph.p_filesz >= kHdrFixed) {
      hdrAddress_ = ph.p_vaddr;
    }
  }
  if (hdrAddress_ == 0) {
    if (const auto ehFrame = elf.sectionAddress(".eh_frame")) {
      parse(*ehFrame);
    }
    return;
  }
  Reader hdr(elf, hdrAddress_);
  const std::uint8_t version = hdr.u8();
  const std::uint8_t ptrEncoding = hdr.u8();
  const std::uint8_t countEncoding = hdr.u8();
  hdr.skip(1);
  const std::uint64_t ehFrame = hdr.pointer(ptrEncoding, hdrAddress_);
  const std::uint64_t count =
      countEncoding == kOmit ? 0 : hdr.pointer(countEncoding, hdrAddress_);
  if (!hdr.ok() || version != 1 || ptrEncoding == kOmit) {
    complete_ = false;
    return;
  }
  parse(ehFrame);
  // The new header replaces this one: it must list every FDE this one
  // did, or unwinding through some function would stop working.
  if (countEncoding == kOmit || count != fdes_.size()) {
    complete_ = false;
  }
}

std::optional<FrameInfo::Cie> FrameInfo::parseCie(std::uint64_t address) const {
  Reader r(elf_, address);
  const std::uint64_t length = r.fixed(4);
  const std::uint64_t end = address + 4 + length;
  if (r.fixed(4) != 0) { // CIE id
    return std::nullopt;
  }
  const std::uint8_t version = r.u8();
  std::string augmentation;
  for (char c = static_cast<char>(r.u8()); r.ok() && c != 0;
       c = static_cast<char>(r.u8())) {
    augmentation += c;
  }
  if (version != 1 && version != 3) {
    return std::nullopt;
  }
  Cie cie;
  cie.codeAlign = r.uleb();
  (void)r.sleb(); // data alignment: the copied instructions keep using it
  if (version == 1) {
    (void)r.u8();
  } else {
    (void)r.uleb();
  }
  if (!augmentation.empty() && augmentation[0] == 'z') {
    cie.augmented = true;
    const std::uint64_t size = r.uleb();
    const std::uint64_t dataEnd = r.address() + size;
    for (char c : augmentation.substr(1)) {
      if (c == 'R') {
        cie.encoding = r.u8();
      } else if (c == 'P') {
        const std::uint8_t enc = r.u8();
        (void)r.pointer(enc);
      } else if (c == 'L') {
        (void)r.u8();
      } else if (c != 'S' && c != 'B' && c != 'G') {
        return std::nullopt;
      }
    }
    if (r.address() > dataEnd) {
      return std::nullopt;
    }
  } else if (!augmentation.empty()) {
    return std::nullopt; // "eh" and other ancient forms
  }
  // Writing an FDE needs a fixed-size pointer encoding, and (static-pie)
  // a PC-relative one, since nothing relocates our table.
  const unsigned field = fixedSize(cie.encoding);
  const bool pcrel = (cie.encoding & 0x70) == kPcRel;
  const bool absolute = (cie.encoding & 0x70) == 0;
  cie.usable = r.ok() && r.address() <= end && field != 0 &&
               (pcrel || (absolute && !pie_));
  return cie;
}

void FrameInfo::parse(std::uint64_t ehFrame) {
  ehFrame_ = ehFrame;
  constexpr std::size_t kMaxEntries = 1u << 22;
  std::uint64_t at = ehFrame;
  for (std::size_t n = 0; n < kMaxEntries; ++n) {
    Reader r(elf_, at);
    const std::uint64_t length = r.fixed(4);
    if (!r.ok() || length == 0 || length == 0xffffffff || length < 4) {
      break;
    }
    const std::uint64_t next = at + 4 + length;
    const std::uint64_t idField = r.address();
    const std::uint64_t id = r.fixed(4);
    if (!r.ok()) {
      break;
    }
    if (id == 0) {
      if (const auto cie = parseCie(at)) {
        cies_.emplace_back(at, *cie);
      } else {
        complete_ = false;
      }
    } else {
      const std::uint64_t cieAddress = idField - id;
      const auto found = std::ranges::find(
          cies_, cieAddress, &std::pair<std::uint64_t, Cie>::first);
      Fde fde;
      fde.address = at;
      fde.cie = cieAddress;
      if (found != cies_.end()) {
        const Cie &cie = found->second;
        fde.pcBegin = r.pointer(cie.encoding);
        fde.pcRange = r.pointer(cie.encoding & 0x0f);
        if (cie.augmented) {
          fde.augmentationSize = r.uleb();
          r.skip(fde.augmentationSize);
        }
        fde.instructions = r.address();
        fde.instructionsEnd = next;
        if (r.ok() && fde.instructions <= next) {
          fdes_.push_back(fde);
        } else {
          complete_ = false;
        }
      } else {
        complete_ = false;
      }
    }
    at = next;
  }
  std::ranges::sort(fdes_, {}, &Fde::pcBegin);
}

// Replays the FDE's instructions up to `address`, dropping the location
// advances: applied after the CIE's initial instructions, the result is
// the row in effect at `address`. remember/restore_state pairs and
// DW_CFA_restore keep their meaning because the same CIE is used.
std::optional<StubFrame> FrameInfo::frameAt(std::uint64_t address) const {
  auto it = std::ranges::upper_bound(fdes_, address, {}, &Fde::pcBegin);
  if (it == fdes_.begin()) {
    return std::nullopt;
  }
  const Fde &fde = *--it;
  if (address - fde.pcBegin >= fde.pcRange) {
    return std::nullopt;
  }
  const auto cieIt =
      std::ranges::find(cies_, fde.cie, &std::pair<std::uint64_t, Cie>::first);
  if (cieIt == cies_.end() || !cieIt->second.usable) {
    return std::nullopt;
  }
  const Cie &cie = cieIt->second;
  StubFrame frame;
  frame.cie = fde.cie;
  frame.encoding = cie.encoding;
  frame.augmented = cie.augmented;
  frame.augmentationSize = fde.augmentationSize;

  Reader r(elf_, fde.instructions);
  std::uint64_t loc = fde.pcBegin;
  auto copyFrom = [&](std::uint64_t start) {
    const auto bytes = elf_.at(start, r.address() - start);
    if (!bytes) {
      return false;
    }
    for (std::byte b : *bytes) {
      frame.instructions.push_back(std::to_integer<std::uint8_t>(b));
    }
    return true;
  };
  while (r.ok() && r.address() < fde.instructionsEnd) {
    const std::uint64_t start = r.address();
    const std::uint8_t op = r.u8();
    std::uint64_t advance = 0;
    bool isAdvance = true;
    switch (op & 0xc0) {
    case 0x40: // DW_CFA_advance_loc
      advance = (op & 0x3f) * cie.codeAlign;
      break;
    case 0x80: // DW_CFA_offset: reg in op, ULEB offset
      (void)r.uleb();
      isAdvance = false;
      break;
    case 0xc0: // DW_CFA_restore
      isAdvance = false;
      break;
    default:
      isAdvance = false;
      switch (op) {
      case 0x00: // nop
      case 0x0a: // remember_state
      case 0x0b: // restore_state
        break;
      case 0x01: // set_loc
        isAdvance = true;
        advance = r.pointer(cie.encoding) - loc;
        break;
      case 0x02:
        isAdvance = true;
        advance = r.fixed(1) * cie.codeAlign;
        break;
      case 0x03:
        isAdvance = true;
        advance = r.fixed(2) * cie.codeAlign;
        break;
      case 0x04:
        isAdvance = true;
        advance = r.fixed(4) * cie.codeAlign;
        break;
      case 0x06: // restore_extended
      case 0x07: // undefined
      case 0x08: // same_value
      case 0x0d: // def_cfa_register
      case 0x0e: // def_cfa_offset
      case 0x2e: // GNU_args_size
        (void)r.uleb();
        break;
      case 0x05: // offset_extended
      case 0x09: // register
      case 0x0c: // def_cfa
      case 0x14: // val_offset
      case 0x2f: // GNU_negative_offset_extended
        (void)r.uleb();
        (void)r.uleb();
        break;
      case 0x11: // offset_extended_sf
      case 0x12: // def_cfa_sf
      case 0x15: // val_offset_sf
        (void)r.uleb();
        (void)r.sleb();
        break;
      case 0x13: // def_cfa_offset_sf
        (void)r.sleb();
        break;
      case 0x0f: // def_cfa_expression
        r.skip(r.uleb());
        break;
      case 0x10: // expression
      case 0x16: // val_expression
        (void)r.uleb();
        r.skip(r.uleb());
        break;
      default:
        return std::nullopt; // unknown: no FDE rather than a wrong one
      }
    }
    if (!r.ok()) {
      return std::nullopt;
    }
    if (isAdvance) {
      if (loc + advance > address) {
        break;
      }
      loc += advance;
    } else if (op != 0x00 && !copyFrom(start)) {
      return std::nullopt;
    }
  }
  if (!r.ok()) {
    return std::nullopt;
  }
  return frame;
}

std::size_t FrameInfo::tableSize(std::size_t fdeBytes,
                                 std::size_t count) const {
  return fdeBytes + 4 + kHdrFixed + 8 * (fdes_.size() + count);
}

std::vector<std::byte> FrameInfo::write(std::uint64_t address,
                                        const std::vector<Stub> &stubs,
                                        std::uint64_t &hdrAddress) const {
  std::vector<std::byte> out;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> table; // pc, fde
  for (const Fde &fde : fdes_) {
    table.emplace_back(fde.pcBegin, fde.address);
  }
  for (const Stub &stub : stubs) {
    const StubFrame &f = stub.frame;
    const std::uint64_t fde = address + out.size();
    const std::size_t size = f.size();
    const unsigned field = fixedSize(f.encoding);
    put(out, size - 4, 4);                 // length
    put(out, fde + 4 - f.cie, 4);          // CIE pointer: back to the CIE
    const std::uint64_t pcField = fde + 8; // pc_begin, in the CIE's encoding
    if ((f.encoding & 0x70) == kPcRel) {
      put(out,
          static_cast<std::uint32_t>(
              fit32(static_cast<std::int64_t>(stub.start - pcField))),
          field);
    } else {
      put(out, stub.start, field);
    }
    put(out, stub.end - stub.start, field);
    if (f.augmented) {
      putUleb(out, f.augmentationSize);
      out.insert(out.end(), f.augmentationSize, std::byte{0}); // no LSDA
    }
    for (std::uint8_t b : f.instructions) {
      out.push_back(std::byte{b});
    }
    out.resize(fde - address + size, std::byte{0}); // DW_CFA_nop padding
    if (fde + 4 - f.cie > UINT32_MAX) {
      throw std::range_error("CIE out of reach of the stub FDEs");
    }
    table.emplace_back(stub.start, fde);
  }
  put(out, 0, 4); // terminator
  std::ranges::sort(table);

  hdrAddress = address + out.size();
  out.push_back(std::byte{1});    // version
  out.push_back(std::byte{0x1b}); // eh_frame_ptr: pcrel sdata4
  out.push_back(std::byte{0x03}); // fde_count: udata4
  out.push_back(std::byte{0x3b}); // table: datarel sdata4
  put(out,
      static_cast<std::uint32_t>(
          fit32(static_cast<std::int64_t>(ehFrame_ - (hdrAddress + 4)))),
      4);
  put(out, table.size(), 4);
  for (const auto &[pc, fde] : table) {
    put(out,
        static_cast<std::uint32_t>(
            fit32(static_cast<std::int64_t>(pc - hdrAddress))),
        4);
    put(out,
        static_cast<std::uint32_t>(
            fit32(static_cast<std::int64_t>(fde - hdrAddress))),
        4);
  }
  return out;
}

} // namespace kml::rewrite
