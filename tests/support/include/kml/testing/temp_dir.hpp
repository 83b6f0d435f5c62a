#pragma once
// A fresh directory under the system temp dir, removed with everything in
// it when the test is done, even read-only subdirectories a test made.

#include <filesystem>
#include <string>

namespace kml::testing {

class TempDir {
public:
  TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  TempDir(TempDir &&) = delete;
  TempDir &operator=(TempDir &&) = delete;
  ~TempDir();

  [[nodiscard]] const std::filesystem::path &path() const { return path_; }
  std::filesystem::path operator/(const std::string &name) const {
    return path_ / name;
  }

private:
  std::filesystem::path path_;
};

} // namespace kml::testing
