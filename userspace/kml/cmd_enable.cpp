// kml enable FILE / kml disable FILE: flip the enable flag of an existing
// marker in place, changing nothing else in the file.

#include "command.hpp"
#include "marker_cli.hpp"

#include "kml/file_io.hpp"
#include "kml/marker_edit.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kml {
namespace {

int setEnabled(std::string_view command, Args args, bool enable) {
  const std::string usage = std::string(command) + " FILE";
  if (args.size() != 1 || args[0].starts_with("-")) {
    return usageError(command, "expected exactly one FILE", usage);
  }
  const std::string file(args[0]);
  std::vector<std::byte> bytes;
  bool unchanged = false;
  mode_t mode = 0;
  try {
    const ElfImage image = loadImage(file);
    mode = fileMode(file);
    bytes = withMarkerFlag(image, enable);
    unchanged = std::ranges::equal(bytes, image.bytes());
  } catch (const ElfError &error) {
    return reportError(command, file, error);
  }
  // Already in the asked state: nothing to write.
  if (unchanged) {
    return kExitOk;
  }
  return writeOutput(command, file, bytes, mode);
}

} // namespace

int runEnable(Args args) { return setEnabled("enable", args, true); }
int runDisable(Args args) { return setEnabled("disable", args, false); }

} // namespace kml
