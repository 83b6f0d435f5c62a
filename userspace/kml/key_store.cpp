#include "key_store.hpp"

#include "kml/gate/development_key.hpp"
#include "kml/gate/gate_error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace kml {
namespace {

namespace fs = std::filesystem;
using gate::GateError;

// An owned descriptor for a file being created; closed when it goes.
class NewFile {
public:
  NewFile(fs::path path, mode_t mode) : path_(std::move(path)) {
    // O_EXCL: a key is never overwritten, even by a race.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd_ < 0) {
      throw GateError("cannot create " + path_.string() + ": " +
                      std::strerror(errno));
    }
  }
  NewFile(const NewFile &) = delete;
  NewFile &operator=(const NewFile &) = delete;
  NewFile(NewFile &&) = delete;
  NewFile &operator=(NewFile &&) = delete;
  ~NewFile() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(path_.c_str()); // not committed: leave nothing half written
    }
  }

  void writeAndCommit(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n <= 0) {
        fail("cannot write");
      }
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd_) != 0) {
      fail("cannot sync");
    }
    if (::close(std::exchange(fd_, -1)) != 0) {
      const int err = errno;
      ::unlink(path_.c_str());
      throw GateError("cannot close " + path_.string() + ": " +
                      std::strerror(err));
    }
  }

private:
  [[noreturn]] void fail(const std::string &what) const {
    throw GateError(what + " " + path_.string() + ": " + std::strerror(errno));
  }

  fs::path path_;
  int fd_ = -1;
};

void makePrivateDirectory(const fs::path &dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    return;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    throw GateError("cannot create " + dir.string() + ": " + ec.message());
  }
  // Only its owner may see which keys there are, as ~/.ssh.
  fs::permissions(dir, fs::perms::owner_all, ec);
  if (ec) {
    throw GateError("cannot set the mode of " + dir.string() + ": " +
                    ec.message());
  }
}

} // namespace

bool validKeyName(std::string_view name) {
  return !name.empty() && name.find('/') == std::string_view::npos &&
         !name.starts_with('.');
}

fs::path KeyStore::defaultDir() {
  if (const char *config = std::getenv("XDG_CONFIG_HOME");
      config != nullptr && *config == '/') {
    return fs::path(config) / "kml" / "keys";
  }
  if (const char *home = std::getenv("HOME"); home != nullptr && *home != 0) {
    return fs::path(home) / ".config" / "kml" / "keys";
  }
  throw GateError("neither XDG_CONFIG_HOME nor HOME is set: name a key "
                  "directory");
}

fs::path KeyStore::keyPath(std::string_view name) const {
  return dir_ / (std::string(name) + ".key");
}

fs::path KeyStore::certPath(std::string_view name) const {
  return dir_ / (std::string(name) + ".pem");
}

bool KeyStore::has(std::string_view name) const {
  std::error_code ec;
  return fs::exists(fs::symlink_status(keyPath(name), ec)) ||
         fs::exists(fs::symlink_status(certPath(name), ec));
}

gate::SigningKey KeyStore::create(std::string_view name) const {
  if (!validKeyName(name)) {
    throw GateError("'" + std::string(name) +
                    "' is not a key name (a file name without '/')");
  }
  if (has(name)) {
    throw GateError("a key named '" + std::string(name) + "' exists in " +
                    dir_.string() + "; not overwriting it");
  }
  makePrivateDirectory(dir_);
  gate::SigningKey key = gate::generateDevelopmentKey(name);
  // Both files are opened before either is written, so a refusal leaves
  // neither behind.
  NewFile keyFile(keyPath(name), 0600);
  NewFile certFile(certPath(name), 0644);
  keyFile.writeAndCommit(key.key.pem());
  try {
    certFile.writeAndCommit(key.cert.pem());
  } catch (const GateError &) {
    ::unlink(keyPath(name).c_str());
    throw;
  }
  return key;
}

gate::SigningKey KeyStore::load(std::string_view name) const {
  if (!validKeyName(name)) {
    throw GateError("'" + std::string(name) + "' is not a key name");
  }
  std::error_code ec;
  if (!fs::exists(keyPath(name), ec) || !fs::exists(certPath(name), ec)) {
    throw GateError("no key named '" + std::string(name) + "' in " +
                    dir_.string() + " (make one with `kml key new " +
                    std::string(name) + "`)");
  }
  gate::SigningKey key{gate::PrivateKey::fromFile(keyPath(name)),
                       gate::Certificate::fromFile(certPath(name))};
  if (!key.key.matches(key.cert)) {
    throw GateError(keyPath(name).string() + " is not the key of " +
                    certPath(name).string());
  }
  return key;
}

std::vector<std::string> KeyStore::names() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::path &path = it->path();
    if (path.extension() == ".pem" && validKeyName(path.stem().string())) {
      names.push_back(path.stem().string());
    }
  }
  std::ranges::sort(names);
  return names;
}

} // namespace kml
