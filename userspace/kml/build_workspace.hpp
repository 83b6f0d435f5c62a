#pragma once
// The private scratch directory of one `kml build`: objects, the linked
// and rewritten program, the compilation database and reports handed to
// kml-verify. Removed with everything in it when the build ends, however
// it ends, so a failed build leaves nothing behind.

#include <filesystem>
#include <string_view>

namespace kml {

class BuildWorkspace {
public:
  // A new directory under $TMPDIR (else /tmp), mode 0700. Throws
  // std::system_error.
  BuildWorkspace();
  BuildWorkspace(const BuildWorkspace &) = delete;
  BuildWorkspace &operator=(const BuildWorkspace &) = delete;
  BuildWorkspace(BuildWorkspace &&) = delete;
  BuildWorkspace &operator=(BuildWorkspace &&) = delete;
  ~BuildWorkspace();

  [[nodiscard]] const std::filesystem::path &dir() const { return dir_; }
  [[nodiscard]] std::filesystem::path file(std::string_view name) const {
    return dir_ / name;
  }

private:
  std::filesystem::path dir_;
};

} // namespace kml
