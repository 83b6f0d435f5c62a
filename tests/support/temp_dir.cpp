#include "kml/testing/temp_dir.hpp"

#include <stdexcept>
#include <system_error>

#include <cstdlib>

namespace kml::testing {

namespace fs = std::filesystem;

TempDir::TempDir() {
  std::string pattern =
      (fs::temp_directory_path() / "kml-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "mkdtemp");
  }
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Tests may leave read-only directories behind; make them removable.
  for (const auto &entry : fs::recursive_directory_iterator(path_, ec)) {
    if (entry.is_directory(ec)) {
      fs::permissions(entry.path(), fs::perms::owner_all, fs::perm_options::add,
                      ec);
    }
  }
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(path_, ec);
}

} // namespace kml::testing
