// kml bypass on|off FILE: set or clear the bypass flag of an existing
// marker in place, changing nothing else in the file. The flag asks the
// kernel for the bypass entry (docs/syscall-shim.md); it matters only
// while the enable flag is set, but is kept either way so that
// `kml disable` then `kml enable` gives the program back as it was.

#include "command.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include <string>

namespace kml {
namespace {

constexpr std::string_view kUsage = "bypass on|off FILE";

} // namespace

int runBypass(Args args) {
  if (args.size() != 2 || args[1].starts_with("-")) {
    return usageError("bypass", "expected on or off, then one FILE", kUsage);
  }
  const std::string_view state = args[0];
  if (state != "on" && state != "off") {
    return usageError("bypass",
                      "expected on or off, not '" + std::string(state) + "'",
                      kUsage);
  }
  return changeMarkerFlags("bypass", std::string(args[1]),
                           flagChange(KML_NOTE_F_BYPASS, state == "on"));
}

} // namespace kml
