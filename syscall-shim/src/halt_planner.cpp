#include "halt_planner.hpp"

namespace kml::rewrite {

std::vector<HaltOutcome> planHalts(const ElfView &elf, const CodeMap &code) {
  std::vector<HaltOutcome> halts;
  for (const Insn &insn : code.instructions()) {
    if (!insn.halt) {
      continue;
    }
    HaltOutcome out;
    out.address = insn.address;
    out.symbol = elf.describe(insn.address);
    // A 0xf4 the sweep decoded between functions or right after bytes that
    // do not decode may be data or the middle of an instruction: changing
    // it could corrupt the program, and leaving it costs only the
    // validator's KML-B008.
    if (!elf.symbols().empty() && elf.symbolAt(insn.address) == nullptr) {
      out.reason = "outside every function symbol";
    } else if (code.distanceFromUndecodable(insn.address) <
               kUndecodableShadow) {
      out.reason = "near bytes that do not decode";
    } else {
      out.replaced = true;
    }
    halts.push_back(std::move(out));
  }
  return halts;
}

} // namespace kml::rewrite
