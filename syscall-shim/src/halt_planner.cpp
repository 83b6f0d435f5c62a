#include "halt_planner.hpp"

namespace kml::rewrite {
namespace {

// Why the hlt at instruction \p index is left as it is, or "" to replace
// it. A 0xf4 that is data, or the middle of an instruction the sweep
// decoded out of step, must not change: leaving a real hlt costs only the
// validator's KML-B008, changing data corrupts the program silently.
std::string reasonToLeave(const ElfView &elf, const CodeMap &code,
                          std::size_t index) {
  const std::uint64_t address = code.instructions()[index].address;
  const bool functionStart = elf.symbols().contains(address);
  if (elf.symbolsComplete() && !elf.symbols().empty() &&
      elf.symbolAt(address) == nullptr) {
    return "outside every function symbol";
  }
  if (code.distanceFromUndecodable(address) < kUndecodableShadow) {
    return "near bytes that do not decode";
  }
  if (code.referencedAsData(address) && !functionStart) {
    return "named by a RIP-relative operand (data in code?)";
  }
  if (!code.reachedByFlow(index)) {
    return "no branch, call or fall-through reaches it (data in code?)";
  }
  return "";
}

} // namespace

std::vector<HaltOutcome> planHalts(const ElfView &elf, const CodeMap &code) {
  std::vector<HaltOutcome> halts;
  const auto &insns = code.instructions();
  for (std::size_t i = 0; i < insns.size(); ++i) {
    if (!insns[i].halt) {
      continue;
    }
    HaltOutcome out;
    out.address = insns[i].address;
    out.symbol = elf.describe(out.address);
    out.reason = reasonToLeave(elf, code, i);
    out.replaced = out.reason.empty();
    halts.push_back(std::move(out));
  }
  return halts;
}

} // namespace kml::rewrite
