// The instruction rules: which x86-64 instructions are banned at CPL 0 and
// why. Kept apart from decoding so the table is easy to review against
// docs/binary-validator.md.
#pragma once

#include <Zydis/Zydis.h>

#include <string_view>

namespace kml::binval::detail {

// A rule hit: the stable ID and the one-line reason shown to the user. Several
// instructions of one class share an ID but each has its own reason.
struct RuleHit {
  std::string_view id;
  std::string_view reason;
};

// Returns the rule that bans `insn`, or nullptr when it may run at CPL 0.
// Needs only the fields the minimal decoder mode fills (mnemonic, opcode map,
// opcode, raw ModRM), so the hot loop never decodes operands.
const RuleHit *classify(const ZydisDecodedInstruction &insn);

// Bytes that do not decode to an instruction.
const RuleHit &undecodableRule();

// An allocated non-code section inside an executable segment.
const RuleHit &dataInCodeRule();

// True when execution cannot fall through to the next byte (ret, jmp, ud2).
// Bytes after such an instruction may be padding.
bool endsStraightLineFlow(const ZydisDecodedInstruction &insn);

} // namespace kml::binval::detail
