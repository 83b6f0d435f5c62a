#pragma once
// A pager process for this process's standard output, for as long as the
// Pager lives: the constructor starts `sh -c COMMAND` reading a pipe and
// puts the pipe where standard output was (file descriptor 1, so
// std::cout, stdout and any child process write into it); the destructor
// flushes, gives standard output back, and waits for the pager to exit.
//
// A user who quits the pager before the end closes the pipe. Instead of
// the SIGPIPE that would kill the process, writes then fail (EPIPE) and
// std::cout goes bad, so the rest of the output is dropped quietly and the
// command still ends as it would have; the destructor clears the stream.

#include <sys/types.h>

#include <csignal>
#include <string>

namespace kml {

class Pager {
public:
  // Throws std::system_error when the pipe or the process cannot be made;
  // standard output is then unchanged.
  explicit Pager(const std::string &command);
  Pager(const Pager &) = delete;
  Pager &operator=(const Pager &) = delete;
  Pager(Pager &&) = delete;
  Pager &operator=(Pager &&) = delete;
  ~Pager();

private:
  pid_t pid_ = -1;
  int savedStdout_ = -1; // the real standard output, given back at the end
  struct sigaction oldPipeAction_ = {};
};

} // namespace kml
