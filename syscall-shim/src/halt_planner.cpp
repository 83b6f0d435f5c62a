#include "halt_planner.hpp"

namespace kml::rewrite {
namespace {

// Why the hlt at instruction \p index is left as it is, or None to replace
// it. A 0xf4 that is data, or the middle of an instruction the sweep
// decoded out of step, must not change: leaving a real hlt costs only the
// validator's KML-B008, changing data corrupts the program silently.
LeaveReason reasonToLeave(const ElfView &elf, const CodeMap &code,
                          std::size_t index) {
  const std::uint64_t address = code.instructions()[index].address;
  const bool functionStart = elf.symbols().contains(address);
  if (elf.symbolsComplete() && !elf.symbols().empty() &&
      elf.symbolAt(address) == nullptr) {
    return LeaveReason::OutsideFunctions;
  }
  if (code.distanceFromUndecodable(address) < kUndecodableShadow) {
    return LeaveReason::NearUndecodable;
  }
  if (code.referencedAsData(address) && !functionStart) {
    return LeaveReason::NamedAsData;
  }
  if (!code.reachedByFlow(index)) {
    return LeaveReason::UnreachedByFlow;
  }
  return LeaveReason::None;
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
    out.replaced = out.reason == LeaveReason::None;
    halts.push_back(std::move(out));
  }
  return halts;
}

} // namespace kml::rewrite
