// A length decoder for the few dozen everyday, unprivileged x86-64
// encodings (mov, lea, add/sub/cmp/test, push/pop, call/jmp/jcc, movzx,
// cmovcc, common SSE...), used in front of Zydis to reach the throughput
// target: Zydis costs ~60 ns per instruction on the build machines, this
// costs about 10 ns (busybox: 19 ns per instruction overall).
//
// Contract: it returns a length only for encodings on its allowlist, which
// holds no banned instruction; for anything else (every banned opcode, VEX,
// EVEX, f2/f3/f0/67 prefixes, x87, 3-byte maps, unusual ModRM forms) it
// returns 0 and Zydis decides. The unit tests check it against Zydis at
// every byte offset of real binaries and of random data: whenever it
// answers, Zydis decodes the same length and allows the instruction.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace kml::binval::detail {

struct FastDecode {
  std::uint8_t length = 0; // 0: not on the allowlist, ask Zydis
  bool endsFlow = false;   // ret, jmp: padding may follow
};

namespace fast {

// Operand layout of an allowlisted opcode.
enum Form : std::uint8_t {
  No,       // not allowlisted
  Plain,    // opcode only
  ModRM,    // ModRM (+SIB, displacement)
  ModRMIb,  // ModRM + imm8
  ModRMIz,  // ModRM + imm16/32
  Ib,       // imm8
  Iz,       // imm16/32
  Iw,       // imm16 (ret imm16)
  Rel8,     // rel8 branch
  Rel32,    // rel32 branch
  MovImm,   // b8+r: imm16/32/64
  Group,    // ModRM whose reg field decides; see groupForm()
  ModRMMem, // ModRM, memory operand only (lea)
};

struct OpcodeInfo {
  Form form = No;
  bool endsFlow = false;
};

consteval std::array<OpcodeInfo, 256> oneByteMap() {
  std::array<OpcodeInfo, 256> map{};
  // ALU blocks 00-3f: r/m,r / r,r/m forms, al/eAX immediates.
  for (int base = 0x00; base <= 0x38; base += 8) {
    for (int i = 0; i < 4; ++i)
      map[base + i] = {ModRM};
    map[base + 4] = {Ib};
    map[base + 5] = {Iz};
  }
  for (int op = 0x50; op <= 0x5f; ++op)
    map[op] = {Plain}; // push/pop r64
  map[0x63] = {ModRM}; // movsxd
  map[0x68] = {Iz};    // push imm
  map[0x69] = {ModRMIz};
  map[0x6a] = {Ib};
  map[0x6b] = {ModRMIb};
  for (int op = 0x70; op <= 0x7f; ++op)
    map[op] = {Rel8}; // jcc short
  map[0x80] = {ModRMIb};
  map[0x81] = {ModRMIz};
  map[0x83] = {ModRMIb};
  for (int op = 0x84; op <= 0x8b; ++op)
    map[op] = {ModRM};    // test, xchg, mov
  map[0x8d] = {ModRMMem}; // lea
  map[0x8f] = {Group};    // pop r/m (/0); other reg values are XOP
  for (int op = 0x90; op <= 0x99; ++op)
    map[op] = {Plain}; // nop/xchg, cbw/cwde/cdqe, cwd/cdq/cqo
  map[0x9c] = {Plain}; // pushf (popf is banned)
  for (int op = 0xa4; op <= 0xaf; ++op)
    map[op] = {Plain}; // movs, cmps, stos, lods, scas
  map[0xa8] = {Ib};
  map[0xa9] = {Iz};
  for (int op = 0xb0; op <= 0xb7; ++op)
    map[op] = {Ib};
  for (int op = 0xb8; op <= 0xbf; ++op)
    map[op] = {MovImm};
  map[0xc0] = {Group}; // shifts: /6 is an undocumented alias, left to Zydis
  map[0xc1] = {Group};
  map[0xc2] = {Iw, true}; // ret imm16
  map[0xc3] = {Plain, true};
  map[0xc6] = {Group}; // mov r/m8, imm8 (/0 only)
  map[0xc7] = {Group}; // mov r/m, imm32 (/0 only)
  map[0xc9] = {Plain}; // leave
  for (int op = 0xd0; op <= 0xd3; ++op)
    map[op] = {Group};
  map[0xe8] = {Rel32};       // call
  map[0xe9] = {Rel32, true}; // jmp
  map[0xeb] = {Rel8, true};  // jmp short
  map[0xf5] = {Plain};       // cmc
  map[0xf6] = {Group};
  map[0xf7] = {Group};
  map[0xf8] = {Plain}; // clc
  map[0xf9] = {Plain}; // stc
  map[0xfc] = {Plain}; // cld
  map[0xfd] = {Plain}; // std
  map[0xfe] = {Group};
  map[0xff] = {Group};
  return map;
}

consteval std::array<OpcodeInfo, 256> twoByteMap() {
  std::array<OpcodeInfo, 256> map{};
  auto modrm = [&](std::initializer_list<int> ops) {
    for (int op : ops)
      map[op] = {ModRM};
  };
  modrm({0x10, 0x11, 0x14, 0x15, 0x1f, 0x28, 0x29, 0x2e, 0x2f});
  for (int op = 0x40; op <= 0x4f; ++op)
    map[op] = {ModRM}; // cmovcc
  for (int op = 0x54; op <= 0x5f; ++op)
    map[op] = {ModRM}; // and/or/xor/add/mul/sub/min/div/max ps/pd, cvt
  for (int op = 0x60; op <= 0x6b; ++op)
    map[op] = {ModRM}; // punpck*, pack*, pcmpgt*
  modrm({0x6e, 0x6f, 0x74, 0x75, 0x76, 0x7e, 0x7f});
  for (int op = 0x80; op <= 0x8f; ++op)
    map[op] = {Rel32}; // jcc near
  for (int op = 0x90; op <= 0x9f; ++op)
    map[op] = {ModRM}; // setcc
  modrm({0xa3, 0xab, 0xaf, 0xb0, 0xb1, 0xb3, 0xb6, 0xb7, 0xbb, 0xbc, 0xbd, 0xbe,
         0xbf, 0xc0, 0xc1, 0xa5, 0xad});
  map[0xa4] = {ModRMIb}; // shld imm8
  map[0xac] = {ModRMIb}; // shrd imm8
  map[0xc6] = {ModRMIb}; // shufps/shufpd
  map[0x70] = {ModRMIb}; // pshufw/pshufd
  for (int op = 0xc8; op <= 0xcf; ++op)
    map[op] = {Plain}; // bswap
  modrm(
      {0xd4, 0xdb, 0xdf, 0xeb, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe});
  return map;
}

inline constexpr std::array<OpcodeInfo, 256> kOneByte = oneByteMap();
inline constexpr std::array<OpcodeInfo, 256> kTwoByte = twoByteMap();

// Resolves Group opcodes by the ModRM reg field; No leaves it to Zydis.
constexpr Form groupForm(std::uint8_t opcode, std::uint8_t reg) {
  switch (opcode) {
  case 0x8f:
    return reg == 0 ? ModRM : No;
  case 0xc0:
  case 0xc1:
    return reg == 6 ? No : ModRMIb;
  case 0xd0:
  case 0xd1:
  case 0xd2:
  case 0xd3:
    return reg == 6 ? No : ModRM;
  case 0xc6:
    return reg == 0 ? ModRMIb : No;
  case 0xc7:
    return reg == 0 ? ModRMIz : No;
  case 0xf6:
    if (reg == 1)
      return No;
    return reg == 0 ? ModRMIb : ModRM;
  case 0xf7:
    if (reg == 1)
      return No;
    return reg == 0 ? ModRMIz : ModRM;
  case 0xfe:
    return reg <= 1 ? ModRM : No;
  case 0xff: // inc, dec, call near, jmp near, push; far forms are banned
    return (reg == 3 || reg == 5 || reg == 7) ? No : ModRM;
  default:
    return No;
  }
}

} // namespace fast

// Decodes one instruction at `code` (with `available` bytes readable).
inline FastDecode fastDecode(const std::uint8_t *code, std::size_t available) {
  using namespace fast;
  constexpr std::size_t kMaxLength = 15;
  const std::size_t end = available < kMaxLength ? available : kMaxLength;
  std::size_t i = 0;
  bool opsize = false;
  // Legacy prefixes: operand size and the (ignored) segment overrides
  // compilers emit for TLS. lock/rep/address-size go to Zydis.
  for (;; ++i) {
    if (i >= end || i >= 4)
      return {};
    std::uint8_t b = code[i];
    if (b == 0x66)
      opsize = true;
    else if (b != 0x64 && b != 0x65 && b != 0x2e && b != 0x3e && b != 0x26 &&
             b != 0x36)
      break;
  }
  bool rexW = false;
  if ((code[i] & 0xf0) == 0x40) {
    rexW = (code[i] & 0x08) != 0;
    if (++i >= end)
      return {};
  }
  OpcodeInfo info;
  std::uint8_t opcode = code[i++];
  bool twoByte = opcode == 0x0f;
  if (twoByte) {
    if (i >= end)
      return {};
    opcode = code[i++];
    info = kTwoByte[opcode];
  } else {
    info = kOneByte[opcode];
  }
  Form form = info.form;
  bool endsFlow = info.endsFlow;
  if (form == No)
    return {};

  std::size_t immediate = 0;
  const std::size_t immZ = (opsize && !rexW) ? 2 : 4;
  bool hasModRM = false;
  bool memoryOnly = false;
  switch (form) {
  case Plain:
    break;
  case Ib:
  case Rel8:
    immediate = 1;
    break;
  case Iz:
    immediate = immZ;
    break;
  case Iw:
    immediate = 2;
    break;
  case Rel32:
    if (opsize) // 16-bit branch targets: vendor-specific, leave to Zydis
      return {};
    immediate = 4;
    break;
  case MovImm:
    immediate = rexW ? 8 : immZ;
    break;
  case ModRMMem:
    memoryOnly = true;
    hasModRM = true;
    break;
  default:
    hasModRM = true;
    break;
  }

  if (hasModRM) {
    if (i >= end)
      return {};
    const std::uint8_t modrm = code[i++];
    const std::uint8_t mod = modrm >> 6;
    const std::uint8_t reg = (modrm >> 3) & 7;
    const std::uint8_t rm = modrm & 7;
    if (form == Group) {
      form = groupForm(opcode, reg);
      if (form == No)
        return {};
      if (opcode == 0xff && (reg == 2 || reg == 4) && opsize)
        return {}; // 16-bit near indirect branches: leave to Zydis
      endsFlow = opcode == 0xff && reg == 4; // jmp near indirect
    }
    if (memoryOnly && mod == 3)
      return {};
    if (form == ModRMIb)
      immediate = 1;
    else if (form == ModRMIz)
      immediate = immZ;
    if (mod != 3) {
      std::size_t displacement = 0;
      if (mod == 1)
        displacement = 1;
      else if (mod == 2)
        displacement = 4;
      if (rm == 4) { // SIB
        if (i >= end)
          return {};
        const std::uint8_t sib = code[i++];
        if (mod == 0 && (sib & 7) == 5)
          displacement = 4;
      } else if (mod == 0 && rm == 5) {
        displacement = 4; // rip-relative
      }
      i += displacement;
    }
  }
  i += immediate;
  if (i > end)
    return {};
  return {static_cast<std::uint8_t>(i), endsFlow};
}

} // namespace kml::binval::detail
