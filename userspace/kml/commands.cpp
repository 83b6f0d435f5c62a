#include "command.hpp"

#include <array>

namespace kml {

// Add a subcommand: declare its run function here and list it below.

std::span<const Command> allCommands() {
  static constexpr std::array<Command, 0> kCommands{};
  return kCommands;
}

} // namespace kml
