#include "kml_process.hpp"

#include "kml/testing/temp_dir.hpp"

#include <fcntl.h>
#include <pty.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

extern char **environ; // NOLINT(readability-redundant-declaration)

namespace kml::clitest {
namespace {

std::vector<std::string> environmentFor(const KmlRun &run) {
  std::vector<std::string> env;
  for (char **entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string name(text.substr(0, text.find('=')));
    if (!run.env.contains(name)) {
      env.emplace_back(text);
    }
  }
  for (const auto &[name, value] : run.env) {
    if (value) {
      env.push_back(name + "=" + *value);
    }
  }
  return env;
}

std::vector<char *> pointersTo(std::vector<std::string> &strings) {
  std::vector<char *> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string &text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Everything the terminal's other side shows until every writer closed it.
std::string drainTerminal(int controller) {
  std::string text;
  std::array<char, 4096> buffer{};
  while (true) {
    const ssize_t got = ::read(controller, buffer.data(), buffer.size());
    if (got > 0) {
      text.append(buffer.data(), static_cast<std::size_t>(got));
    } else if (got < 0 && errno == EINTR) {
      continue;
    } else {
      return text; // EIO: the last writer has gone
    }
  }
}

} // namespace

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

KmlResult runKml(const KmlRun &run) {
  const testing::TempDir capture;
  const std::string outPath = (capture / "out").string();
  const std::string errPath = (capture / "err").string();
  std::vector<std::string> argv{KML_BIN};
  argv.insert(argv.end(), run.args.begin(), run.args.end());
  std::vector<std::string> env = environmentFor(run);
  std::vector<char *> cargv = pointersTo(argv);
  std::vector<char *> cenv = pointersTo(env);

  int controller = -1;
  int terminal = -1;
  if (run.onTerminal &&
      ::openpty(&controller, &terminal, nullptr, nullptr, nullptr) != 0) {
    throw std::runtime_error("openpty failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (run.onTerminal) {
    posix_spawn_file_actions_adddup2(&actions, terminal, 1);
    posix_spawn_file_actions_addclose(&actions, controller);
    posix_spawn_file_actions_addclose(&actions, terminal);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc =
      posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  KmlResult result;
  if (run.onTerminal) {
    ::close(terminal);
    if (rc == 0) {
      result.out = drainTerminal(controller);
    }
    ::close(controller);
  }
  if (rc != 0) {
    throw std::runtime_error("cannot run " + argv[0]);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      throw std::runtime_error("waitpid failed");
    }
  }
  result.exitCode =
      WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  if (!run.onTerminal) {
    result.out = readFile(outPath);
  }
  result.err = readFile(errPath);
  return result;
}

} // namespace kml::clitest
