// Line-oriented I/O on a file descriptor, for the example programs, written
// with the standard library and two system calls (read(2), write(2)).
//
// Each example reads and writes through the descriptor itself rather than
// through stdio: every reply is one write(2) the moment it is ready, so the
// programs are as system-call heavy as a real server, which is what kml
// speeds up, and a socket needs no FILE at all.
#pragma once

#include <cerrno>
#include <cstddef>
#include <string>
#include <string_view>
#include <unistd.h>

namespace line_io {

inline constexpr int stdin_fd = 0;
inline constexpr int stdout_fd = 1;
inline constexpr int stderr_fd = 2;

// Writes all of `text`; false when the descriptor is gone (EPIPE, a closed
// socket, a full disk). A short write continues with the rest.
inline bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Writes `text` and a newline in one write(2).
inline bool write_line(int fd, std::string_view text) {
  std::string line(text);
  line += '\n';
  return write_all(fd, line);
}

// Blanks around a command or a word: space, tab, CR (a client that ends
// lines with CRLF) and LF.
inline std::string_view trim(std::string_view text) {
  constexpr std::string_view blanks = " \t\r\n";
  const std::size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  const std::size_t last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

// What line_reader::next() found.
enum class line_status {
  line,     // a complete line (the final one may lack '\n')
  end,      // end of input, no more lines
  too_long, // a line longer than the limit; it was skipped entirely
  error,    // read(2) failed (a receive timeout on a socket, for one)
};

struct line {
  line_status status = line_status::end;
  std::string text; // without its '\n'
};

// Splits a descriptor's input into lines of at most `max_length`
// characters. A longer line is reported as too_long and skipped up to its
// newline, so one bad line costs a client an error, not the connection.
// The buffer never holds more than max_length plus one read's worth.
class line_reader {
public:
  line_reader(int fd, std::size_t max_length)
      : fd_(fd), max_length_(max_length) {}

  line next() {
    bool skipping = false; // inside an over-long line
    for (;;) {
      const std::size_t newline = pending_.find('\n');
      if (newline != std::string::npos) {
        std::string text = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        if (skipping || text.size() > max_length_)
          return {line_status::too_long, {}};
        return {line_status::line, std::move(text)};
      }
      if (eof_) {
        std::string text = std::move(pending_);
        pending_.clear();
        if (skipping || text.size() > max_length_)
          return {line_status::too_long, {}};
        if (text.empty())
          return {line_status::end, {}};
        return {line_status::line, std::move(text)};
      }
      if (pending_.size() > max_length_) {
        // No newline within the limit: drop what is held, skip to the next.
        skipping = true;
        pending_.clear();
      }
      if (!fill())
        return {line_status::error, {}};
    }
  }

private:
  static constexpr std::size_t chunk_size = 4096;

  // One read(2) appended to the pending bytes; false on an error.
  bool fill() {
    std::string chunk(chunk_size, '\0');
    ssize_t n = 0;
    do {
      n = ::read(fd_, chunk.data(), chunk.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0)
      return false;
    if (n == 0)
      eof_ = true;
    chunk.resize(static_cast<std::size_t>(n));
    pending_ += chunk;
    return true;
  }

  int fd_;
  std::size_t max_length_;
  std::string pending_; // read, not yet returned
  bool eof_ = false;
};

} // namespace line_io
