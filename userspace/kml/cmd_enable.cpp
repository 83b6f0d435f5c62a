// kml enable FILE / kml disable FILE: flip the enable flag of an existing
// marker in place, changing nothing else in the file.

#include "command.hpp"
#include "marker_cli.hpp"

#include "kml/file_io.hpp"
#include "kml/marker_edit.hpp"

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
  mode_t mode = 0;
  try {
    const ElfImage image = loadImage(file);
    mode = fileMode(file);
    bytes = withMarkerFlag(image, enable);
  } catch (const ElfError &error) {
    return reportError(command, file, error);
  }
  try {
    writeFileAtomically(file, bytes, mode);
  } catch (const ElfError &error) {
    return reportError(command, file, error);
  }
  return kExitOk;
}

} // namespace

int runEnable(Args args) { return setEnabled("enable", args, true); }
int runDisable(Args args) { return setEnabled("disable", args, false); }

} // namespace kml
