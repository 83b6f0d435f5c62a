// kml enable FILE / kml disable FILE: flip the enable flag of an existing
// marker in place, changing nothing else in the file.

#include "command.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include <string>

namespace kml {
namespace {

int setEnabled(std::string_view command, Args args, bool enable) {
  const std::string usage = std::string(command) + " FILE";
  if (args.size() != 1 || args[0].starts_with("-")) {
    return usageError(command, "expected exactly one FILE", usage);
  }
  return changeMarkerFlags(command, std::string(args[0]),
                           flagChange(KML_NOTE_F_ENABLE, enable));
}

} // namespace

int runEnable(Args args) { return setEnabled("enable", args, true); }
int runDisable(Args args) { return setEnabled("disable", args, false); }

} // namespace kml
