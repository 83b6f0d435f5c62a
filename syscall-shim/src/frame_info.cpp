#include "frame_info.hpp"

#include <algorithm>
#include <cstring>
#include <dwarf.h>
#include <stdexcept>

namespace kml::rewrite {
namespace {

// The pointer encodings (DW_EH_PE_*) and call-frame opcodes (DW_CFA_*)
// are <dwarf.h>'s names for the numbers in the LSB's .eh_frame format and
// DWARF 5 section 6.4.2.
constexpr std::uint8_t kFormatMask = 0x0f;      // DW_EH_PE_udata4, ...
constexpr std::uint8_t kApplicationMask = 0x70; // DW_EH_PE_pcrel, ...
constexpr std::uint8_t kPrimaryMask = 0xc0;     // opcode in the top two bits
constexpr std::uint8_t kPrimaryOperandMask = 0x3f;

// Reads little-endian values and LEB128 numbers from the program's mapped
// bytes; any read outside them clears ok() and returns 0.
class Reader {
public:
  Reader(const ElfView &elf, std::uint64_t address)
      : elf_(elf), address_(address) {}
  [[nodiscard]] std::uint64_t address() const { return address_; }
  [[nodiscard]] bool ok() const { return ok_; }

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
      value |= std::uint64_t{b & 0x7FU} << shift;
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
    while (ok_ && (b & 0x80) != 0 && shift < 64) {
      b = u8();
      value |= std::int64_t{b & 0x7f} << shift;
      shift += 7;
    }
    if (shift < 64 && (b & 0x40) != 0) {
      value |= -(std::int64_t{1} << shift);
    }
    return value;
  }
  // A pointer in `encoding`; dataBase for datarel. Indirect and aligned
  // encodings are not used by GNU toolchains here: refused.
  std::uint64_t pointer(std::uint8_t encoding, std::uint64_t dataBase = 0) {
    const std::uint64_t field = address_;
    std::uint64_t value = 0;
    switch (encoding & kFormatMask) {
    case DW_EH_PE_absptr:
    case DW_EH_PE_udata8:
    case DW_EH_PE_sdata8:
      value = fixed(8);
      break;
    case DW_EH_PE_udata4:
      value = fixed(4);
      break;
    case DW_EH_PE_sdata4:
      value = static_cast<std::uint64_t>(
          static_cast<std::int64_t>(static_cast<std::int32_t>(fixed(4))));
      break;
    case DW_EH_PE_udata2:
      value = fixed(2);
      break;
    case DW_EH_PE_sdata2:
      value = static_cast<std::uint64_t>(
          static_cast<std::int64_t>(static_cast<std::int16_t>(fixed(2))));
      break;
    case DW_EH_PE_uleb128:
      value = uleb();
      break;
    case DW_EH_PE_sleb128:
      value = static_cast<std::uint64_t>(sleb());
      break;
    default:
      ok_ = false;
      return 0;
    }
    switch (encoding & kApplicationMask) {
    case DW_EH_PE_absptr:
      return value;
    case DW_EH_PE_pcrel:
      return value + field;
    case DW_EH_PE_datarel:
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

// How the operands after a call-frame opcode are laid out.
enum class Operands {
  None,
  Uleb,      // a register, an offset or an argument size
  UlebUleb,  // a register and an unsigned offset or a second register
  UlebSleb,  // a register and a signed (factored) offset
  Sleb,      // a signed offset
  Block,     // a ULEB length and that many bytes (a DWARF expression)
  UlebBlock, // a register and a block
};

// The operands of an opcode that is not a location advance, or nothing for
// an opcode this reader does not know (then no FDE rather than a wrong
// one). The primary opcodes keep their register in the low six bits.
std::optional<Operands> operandsOf(std::uint8_t op) {
  switch (op & kPrimaryMask) {
  case DW_CFA_offset:
    return Operands::Uleb;
  case DW_CFA_restore:
    return Operands::None;
  default:
    break;
  }
  switch (op) {
  case DW_CFA_nop:
  case DW_CFA_remember_state:
  case DW_CFA_restore_state:
    return Operands::None;
  case DW_CFA_restore_extended:
  case DW_CFA_undefined:
  case DW_CFA_same_value:
  case DW_CFA_def_cfa_register:
  case DW_CFA_def_cfa_offset:
  case DW_CFA_GNU_args_size:
    return Operands::Uleb;
  case DW_CFA_offset_extended:
  case DW_CFA_register:
  case DW_CFA_def_cfa:
  case DW_CFA_val_offset:
  case DW_CFA_GNU_negative_offset_extended:
    return Operands::UlebUleb;
  case DW_CFA_offset_extended_sf:
  case DW_CFA_def_cfa_sf:
  case DW_CFA_val_offset_sf:
    return Operands::UlebSleb;
  case DW_CFA_def_cfa_offset_sf:
    return Operands::Sleb;
  case DW_CFA_def_cfa_expression:
    return Operands::Block;
  case DW_CFA_expression:
  case DW_CFA_val_expression:
    return Operands::UlebBlock;
  default:
    return std::nullopt;
  }
}

void skipOperands(Reader &r, Operands operands) {
  switch (operands) {
  case Operands::None:
    break;
  case Operands::Uleb:
    (void)r.uleb();
    break;
  case Operands::UlebUleb:
    (void)r.uleb();
    (void)r.uleb();
    break;
  case Operands::UlebSleb:
    (void)r.uleb();
    (void)r.sleb();
    break;
  case Operands::Sleb:
    (void)r.sleb();
    break;
  case Operands::Block:
    r.skip(r.uleb());
    break;
  case Operands::UlebBlock:
    (void)r.uleb();
    r.skip(r.uleb());
    break;
  }
}

bool isAdvance(std::uint8_t op) {
  return (op & kPrimaryMask) == DW_CFA_advance_loc || op == DW_CFA_set_loc ||
         op == DW_CFA_advance_loc1 || op == DW_CFA_advance_loc2 ||
         op == DW_CFA_advance_loc4;
}

// The location a location-advancing opcode moves `loc` to; `encoding` is
// the CIE's, which DW_CFA_set_loc's address uses.
std::uint64_t advancedLocation(Reader &r, std::uint8_t op, std::uint64_t loc,
                               std::uint64_t codeAlign, std::uint8_t encoding) {
  switch (op) {
  case DW_CFA_set_loc:
    return r.pointer(encoding);
  case DW_CFA_advance_loc1:
    return loc + r.fixed(1) * codeAlign;
  case DW_CFA_advance_loc2:
    return loc + r.fixed(2) * codeAlign;
  case DW_CFA_advance_loc4:
    return loc + r.fixed(4) * codeAlign;
  default: // DW_CFA_advance_loc, its delta in the low six bits
    return loc + (op & kPrimaryOperandMask) * codeAlign;
  }
}

// Size of a pointer field in `encoding`, for the fixed-size ones the FDEs
// we write use; 0 when unsupported.
unsigned fixedSize(std::uint8_t encoding) {
  switch (encoding & kFormatMask) {
  case DW_EH_PE_absptr:
  case DW_EH_PE_udata8:
  case DW_EH_PE_sdata8:
    return 8;
  case DW_EH_PE_udata4:
  case DW_EH_PE_sdata4:
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
    out.push_back(static_cast<std::byte>(value != 0 ? b | 0x80 : b));
  } while (value != 0);
}

std::size_t ulebSize(std::uint64_t value) {
  std::size_t n = 1;
  while ((value >>= 7) != 0) {
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
  const std::uint64_t count = countEncoding == DW_EH_PE_omit
                                  ? 0
                                  : hdr.pointer(countEncoding, hdrAddress_);
  if (!hdr.ok() || version != 1 || ptrEncoding == DW_EH_PE_omit) {
    complete_ = false;
    return;
  }
  parse(ehFrame);
  // The new header replaces this one: it must list every FDE this one
  // did, or unwinding through some function would stop working.
  if (countEncoding == DW_EH_PE_omit || count != fdes_.size()) {
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
  const bool pcrel = (cie.encoding & kApplicationMask) == DW_EH_PE_pcrel;
  const bool absolute = (cie.encoding & kApplicationMask) == DW_EH_PE_absptr;
  cie.usable = r.ok() && r.address() <= end && field != 0 &&
               (pcrel || (absolute && !pie_));
  return cie;
}

void FrameInfo::parse(std::uint64_t ehFrame) {
  ehFrame_ = ehFrame;
  constexpr std::size_t kMaxEntries = 1U << 22;
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
        fde.pcRange = r.pointer(cie.encoding & kFormatMask);
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

  // Copies each rule-setting instruction and follows the advances until
  // the next row would start past `address`.
  Reader r(elf_, fde.instructions);
  std::uint64_t loc = fde.pcBegin;
  while (r.ok() && r.address() < fde.instructionsEnd) {
    const std::uint64_t start = r.address();
    const std::uint8_t op = r.u8();
    if (isAdvance(op)) {
      const std::uint64_t next =
          advancedLocation(r, op, loc, cie.codeAlign, cie.encoding);
      if (!r.ok() || next > address) {
        break;
      }
      loc = next;
      continue;
    }
    const auto operands = operandsOf(op);
    if (!operands) {
      return std::nullopt;
    }
    skipOperands(r, *operands);
    if (!r.ok()) {
      return std::nullopt;
    }
    const auto bytes = elf_.at(start, r.address() - start);
    if (!bytes) {
      return std::nullopt;
    }
    if (op != DW_CFA_nop) {
      for (std::byte b : *bytes) {
        frame.instructions.push_back(std::to_integer<std::uint8_t>(b));
      }
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
  table.reserve(fdes_.size() + stubs.size());
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
    if ((f.encoding & kApplicationMask) == DW_EH_PE_pcrel) {
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
  out.push_back(std::byte{1});                                  // version
  out.push_back(std::byte{DW_EH_PE_pcrel | DW_EH_PE_sdata4});   // eh_frame_ptr
  out.push_back(std::byte{DW_EH_PE_udata4});                    // fde_count
  out.push_back(std::byte{DW_EH_PE_datarel | DW_EH_PE_sdata4}); // table
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
