#include "support.hpp"
#include "kml/testing/file_modes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <stdexcept>

namespace kml::rwtest {

namespace {

// A pipe whose ends close themselves.
class Pipe {
public:
  Pipe() {
    if (pipe2(fds_, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe failed");
    }
  }
  Pipe(const Pipe &) = delete;
  Pipe &operator=(const Pipe &) = delete;
  ~Pipe() {
    closeRead();
    closeWrite();
  }
  int readEnd() const { return fds_[0]; }
  int writeEnd() const { return fds_[1]; }
  void closeRead() { closeFd(fds_[0]); }
  void closeWrite() { closeFd(fds_[1]); }

private:
  static void closeFd(int &fd) {
    if (fd >= 0) {
      close(fd);
      fd = -1;
    }
  }
  int fds_[2] = {-1, -1};
};

// Feeds `input` and drains stdout and stderr together, so that neither
// side can block on a full pipe.
void pump(Pipe &in, Pipe &out, Pipe &err, const std::string &input,
          RunResult &result) {
  std::size_t written = 0;
  if (input.empty()) {
    in.closeWrite();
  }
  while (out.readEnd() >= 0 || err.readEnd() >= 0) {
    pollfd fds[3] = {{out.readEnd(), POLLIN, 0},
                     {err.readEnd(), POLLIN, 0},
                     {in.writeEnd(), POLLOUT, 0}};
    if (poll(fds, 3, -1) < 0) {
      throw std::runtime_error("poll failed");
    }
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents != 0) {
        const ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          (i == 0 ? out : err).closeRead();
        } else {
          (i == 0 ? result.out : result.err).append(buf, n);
        }
      }
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      const ssize_t n =
          write(in.writeEnd(), input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if (n <= 0 || written == input.size()) {
        in.closeWrite();
      }
    }
  }
}

// A child may exit before it has read all its input: the test's next
// write must then fail with EPIPE, not kill the test with SIGPIPE. The
// test ignores SIGPIPE, and each child gets the default back.
void ignoreBrokenPipes() {
  static const bool ignored = [] {
    (void)std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}

} // namespace

RunResult run(const std::vector<std::string> &argv, const std::string &input,
              const std::vector<std::string> &env) {
  ignoreBrokenPipes();
  Pipe in;
  Pipe out;
  Pipe err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.readEnd(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.writeEnd(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.writeEnd(), 2);
  std::vector<char *> args;
  args.reserve(argv.size() + 1);
  for (const std::string &a : argv) {
    args.push_back(const_cast<char *>(a.c_str()));
  }
  args.push_back(nullptr);
  std::vector<char *> envp;
  for (char **e = environ; *e != nullptr; ++e) {
    envp.push_back(*e);
  }
  for (const std::string &e : env) {
    envp.push_back(const_cast<char *>(e.c_str()));
  }
  envp.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv.at(0).c_str(), &actions, &attributes,
                             args.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("cannot run " + argv[0] + ": " + strerror(rc));
  }
  in.closeRead();
  out.closeWrite();
  err.closeWrite();
  RunResult result;
  pump(in, out, err, input, result);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exitCode =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

RunResult shell(const std::string &script) {
  return run({"/bin/sh", "-c", script});
}

RunResult kml(const std::vector<std::string> &args) {
  std::vector<std::string> argv{KML_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

std::vector<std::byte> readBytes(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), {});
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

void writeBytes(const fs::path &path, const std::vector<std::byte> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  fs::permissions(path, kml::testing::kMode0755);
}

fs::path program(const std::string &name) {
  return fs::path(KML_REWRITE_PROGRAMS_DIR) / name;
}

std::vector<std::string> realPrograms() {
  std::vector<std::string> names;
  std::stringstream list(KML_REWRITE_REAL_PROGRAMS);
  for (std::string name; std::getline(list, name, ',');) {
    names.push_back(name);
  }
  return names;
}

std::string paramName(std::string name) {
  for (char &c : name) {
    if (c == '-' || c == '.') {
      c = '_';
    }
  }
  return name;
}

std::optional<fs::path> binval() {
  if (const char *env = std::getenv("KML_BINVAL"); env && *env) {
    return fs::path(env);
  }
  if (std::strlen(KML_BINVAL_BIN) != 0) {
    return fs::path(KML_BINVAL_BIN);
  }
  return std::nullopt;
}

} // namespace kml::rwtest
