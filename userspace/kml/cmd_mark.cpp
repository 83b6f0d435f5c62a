// kml mark FILE [-o OUT] [--disable] [--bypass]: add the KML marker, or
// update it.

#include "command.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include "kml/file_io.hpp"
#include "kml/marker_edit.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage = "mark FILE [-o OUT] [--disable] [--bypass]";

struct MarkOptions {
  std::string file;
  std::optional<std::string> output;
  bool enable = true;
  // Sets the bypass flag too. Without it an existing marker keeps its
  // bypass flag: re-marking must not silently undo `kml bypass on`.
  bool bypass = false;

  [[nodiscard]] FlagChange change() const {
    FlagChange change = flagChange(KML_NOTE_F_ENABLE, enable);
    if (bypass) {
      change.set |= KML_NOTE_F_BYPASS;
    }
    return change;
  }
};

// Returns the options, or an exit code after printing a usage error.
std::variant<MarkOptions, int> parse(Args args) {
  MarkOptions options;
  bool haveFile = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-o" || arg == "--output") {
      if (i + 1 == args.size()) {
        return usageError("mark", "-o needs a file name", kUsage);
      }
      options.output = std::string(args[++i]);
    } else if (arg.starts_with("--output=")) {
      options.output = std::string(arg.substr(9));
    } else if (arg == "--disable") {
      options.enable = false;
    } else if (arg == "--enable") {
      options.enable = true;
    } else if (arg == "--bypass") {
      options.bypass = true;
    } else if (arg.starts_with("-") && arg != "-") {
      return usageError("mark", "unknown option '" + std::string(arg) + "'",
                        kUsage);
    } else if (haveFile) {
      return usageError("mark", "only one FILE", kUsage);
    } else {
      options.file = std::string(arg);
      haveFile = true;
    }
  }
  if (!haveFile) {
    return usageError("mark", "missing FILE", kUsage);
  }
  return options;
}

} // namespace

int runMark(Args args) {
  auto parsed = parse(args);
  if (const int *code = std::get_if<int>(&parsed)) {
    return *code;
  }
  const MarkOptions &options = std::get<MarkOptions>(parsed);
  const std::string target = options.output.value_or(options.file);
  std::vector<std::byte> bytes;
  bool unchanged = false;
  mode_t mode = 0;
  try {
    const ElfImage image = loadImage(options.file);
    mode = fileMode(options.file);
    bytes = withMarker(image, options.change());
    unchanged = std::ranges::equal(bytes, image.bytes());
  } catch (const ElfError &error) {
    return reportError("mark", options.file, error);
  }
  // Marking a file the way it is already marked leaves it alone (no new
  // inode, no write permission needed); -o always writes OUT.
  if (unchanged && !options.output) {
    return kExitOk;
  }
  return writeOutput("mark", target, bytes, mode);
}

} // namespace kml
