#include "syscall_names.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace kml {
namespace {

struct SyscallEntry {
  std::uint32_t number;
  std::string_view name;
};

constexpr std::array kSyscalls = std::to_array<SyscallEntry>({
#include "kml/syscall_names_table.inc"
});

} // namespace

std::optional<std::string_view> syscallName(std::uint32_t number) {
  // The header lists them in number order, but a gap or two must not
  // matter: search, do not index.
  const auto *found =
      std::ranges::find(kSyscalls, number, &SyscallEntry::number);
  if (found == kSyscalls.end()) {
    return std::nullopt;
  }
  return found->name;
}

} // namespace kml
