#include "build_workspace.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

namespace kml {

BuildWorkspace::BuildWorkspace() {
  const char *tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != 0 ? tmp : "/tmp") +
      "/kml-build-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(),
                            "cannot make a temporary directory in " +
                                pattern.substr(0, pattern.rfind('/')));
  }
  dir_ = pattern;
}

BuildWorkspace::~BuildWorkspace() {
  std::error_code ec; // nothing to do about a failure here
  std::filesystem::remove_all(dir_, ec);
}

} // namespace kml
