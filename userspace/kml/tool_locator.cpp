#include "tool_locator.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>
#include <system_error>

namespace kml {
namespace {

namespace fs = std::filesystem;

bool isExecutableFile(const fs::path &path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

fs::path directoryOfKml() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

std::string pathVariable() {
  const char *path = std::getenv("PATH");
  return path != nullptr ? path : "";
}

// Where the tool comes from, for the error that it is missing.
std::string_view hint(std::string_view name) {
  if (name == "kml-verify") {
    return "kml's host build makes it: <build>/verifier/kml-verify";
  }
  return "Debian's clang-19 package has it";
}

} // namespace

ToolLocator::ToolLocator() : ToolLocator(directoryOfKml(), pathVariable()) {}

ToolLocator::ToolLocator(std::filesystem::path besideKml, std::string path)
    : besideKml_(std::move(besideKml)), path_(std::move(path)) {}

std::optional<std::filesystem::path>
ToolLocator::find(std::string_view name) const {
  if (!besideKml_.empty() && isExecutableFile(besideKml_ / name)) {
    return besideKml_ / name;
  }
  std::string_view rest = path_;
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    // An empty PATH element means the current directory, as for a shell.
    fs::path candidate =
        (dir.empty() ? fs::current_path() : fs::path(dir)) / name;
    if (isExecutableFile(candidate)) {
      return candidate;
    }
  }
  return std::nullopt;
}

std::filesystem::path ToolLocator::require(std::string_view name) const {
  if (auto found = find(name)) {
    return *found;
  }
  std::string where = "next to kml";
  if (!besideKml_.empty()) {
    where += " (" + besideKml_.string() + ")";
  }
  throw MissingTool("cannot find " + std::string(name) + ": looked " + where +
                    " and in PATH (" + std::string(hint(name)) + ")");
}

} // namespace kml
