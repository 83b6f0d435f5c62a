#pragma once
// Deciding which `hlt` instructions become a trap byte. Both are one byte,
// so nothing moves: the question is whether the 0xf4 the sweep found
// really is an instruction that control reaches, and not data.

#include "code_map.hpp"
#include "elf_view.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <vector>

namespace kml::rewrite {

// What a `hlt` becomes: 0x06 (`push %es`), which does not exist in 64-bit
// mode, so it is a #UD at any privilege: SIGILL. A fault, as `hlt` is at
// CPL 3: the saved RIP stays on it, and a handler that returns runs it
// again instead of going on past the crash path (an int3 is a trap and
// would). The binary validator accepts exactly this byte.
inline constexpr std::byte kHaltTrap{0x06};

// One outcome per `hlt` the sweep decoded, in address order.
std::vector<HaltOutcome> planHalts(const ElfView &elf, const CodeMap &code);

} // namespace kml::rewrite
