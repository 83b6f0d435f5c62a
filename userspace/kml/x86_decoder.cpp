#include "x86_decoder.hpp"

#include <array>

namespace kml {
namespace {

bool isEax(ZydisRegister reg) {
  return reg == ZYDIS_REGISTER_EAX || reg == ZYDIS_REGISTER_RAX;
}

// `mov $imm,%eax` (b8 imm32, or c7 c0 imm32 with or without REX.W).
std::optional<std::uint32_t>
immediateIntoEax(const ZydisDecodedInstruction &insn,
                 std::span<const ZydisDecodedOperand> operands) {
  if (insn.mnemonic != ZYDIS_MNEMONIC_MOV || operands.size() < 2) {
    return std::nullopt;
  }
  const ZydisDecodedOperand &target = operands[0];
  const ZydisDecodedOperand &source = operands[1];
  if (target.type != ZYDIS_OPERAND_TYPE_REGISTER || !isEax(target.reg.value) ||
      source.type != ZYDIS_OPERAND_TYPE_IMMEDIATE) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(source.imm.value.u);
}

} // namespace

X86Decoder::X86Decoder() {
  ZydisDecoderInit(&decoder_, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
  ZydisFormatterInit(&formatter_, ZYDIS_FORMATTER_STYLE_ATT);
  // objdump's look: 0x401000 and $0x1, not 0x0000000000401000 and $0x01.
  ZydisFormatterSetProperty(&formatter_, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE,
                            ZYAN_FALSE);
  ZydisFormatterSetProperty(&formatter_,
                            ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE,
                            ZYDIS_PADDING_DISABLED);
  ZydisFormatterSetProperty(&formatter_, ZYDIS_FORMATTER_PROP_DISP_PADDING,
                            ZYDIS_PADDING_DISABLED);
  ZydisFormatterSetProperty(&formatter_, ZYDIS_FORMATTER_PROP_IMM_PADDING,
                            ZYDIS_PADDING_DISABLED);
}

std::optional<DecodedInstruction>
X86Decoder::decode(std::span<const std::byte> bytes,
                   std::uint64_t address) const {
  ZydisDecodedInstruction insn;
  std::array<ZydisDecodedOperand, ZYDIS_MAX_OPERAND_COUNT> operands{};
  if (ZYAN_FAILED(ZydisDecoderDecodeFull(&decoder_, bytes.data(), bytes.size(),
                                         &insn, operands.data()))) {
    return std::nullopt;
  }
  std::array<char, 256> text{};
  if (ZYAN_FAILED(ZydisFormatterFormatInstruction(
          &formatter_, &insn, operands.data(), insn.operand_count_visible,
          text.data(), text.size(), address, nullptr))) {
    return std::nullopt;
  }
  DecodedInstruction out;
  out.address = address;
  out.bytes.assign(bytes.begin(), bytes.begin() + insn.length);
  out.text = text.data();
  out.isSyscall = insn.mnemonic == ZYDIS_MNEMONIC_SYSCALL;
  out.isNop = insn.mnemonic == ZYDIS_MNEMONIC_NOP;
  const std::span<const ZydisDecodedOperand> visible(
      operands.data(), insn.operand_count_visible);
  out.setsEaxTo = immediateIntoEax(insn, visible);
  if (insn.mnemonic == ZYDIS_MNEMONIC_JMP && insn.length == 5 &&
      std::to_integer<std::uint8_t>(bytes[0]) == 0xe9) {
    out.jumpTarget = address + insn.length +
                     static_cast<std::uint64_t>(insn.raw.imm[0].value.s);
  }
  if ((insn.attributes & ZYDIS_ATTRIB_IS_RELATIVE) != 0 &&
      insn.raw.disp.size == 32) {
    for (const ZydisDecodedOperand &op : visible) {
      if (op.type == ZYDIS_OPERAND_TYPE_MEMORY &&
          op.mem.base == ZYDIS_REGISTER_RIP) {
        out.ripDisplacementOffset = insn.raw.disp.offset;
        out.ripTarget = address + insn.length +
                        static_cast<std::uint64_t>(insn.raw.disp.value);
      }
    }
  }
  return out;
}

} // namespace kml
