#pragma once
// Finding the programs `kml build` drives (clang-19, clang++-19,
// kml-verify): next to this kml first, so that an install or a bundle
// uses its own, then in PATH.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kml {

// A tool that is neither next to kml nor in PATH.
class MissingTool : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class ToolLocator {
public:
  // Looks next to the running kml (/proc/self/exe) and in $PATH.
  ToolLocator();
  ToolLocator(std::filesystem::path besideKml, std::string path);

  // The executable called name, or nullopt.
  [[nodiscard]] std::optional<std::filesystem::path>
  find(std::string_view name) const;
  // The executable called name; throws MissingTool saying where it looked.
  [[nodiscard]] std::filesystem::path require(std::string_view name) const;

private:
  std::filesystem::path besideKml_; // empty when unknown
  std::string path_;                // $PATH
};

} // namespace kml
