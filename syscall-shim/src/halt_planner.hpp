#pragma once
// Deciding which `hlt` instructions become `int3`. Both are one byte, so
// nothing moves: the only question is whether the byte found by the sweep
// really is an instruction (the guards the syscall sites have).

#include "code_map.hpp"
#include "elf_view.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <vector>

namespace kml::rewrite {

inline constexpr std::byte kInt3{0xcc};

// One outcome per `hlt` the sweep decoded, in address order.
std::vector<HaltOutcome> planHalts(const ElfView &elf, const CodeMap &code);

} // namespace kml::rewrite
