// kml runtime: file and socket I/O over kml::span, with kml::result errors.
//
// Thin wrappers over the libc calls the subset allows. They take spans
// instead of pointer + length, retry on EINTR, report errno in the result
// and own descriptors through kml::io::fd (closed in its destructor).
//
// Unsafe operations in this file: passing span.data()/size() to libc (the
// span guarantees the range) and the sockaddr_in -> sockaddr cast the socket
// API requires (the length passed alongside is sizeof(sockaddr_in)).
#pragma once

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "kml/array.hpp"
#include "kml/result.hpp"
#include "kml/span.hpp"
#include "kml/string.hpp"

namespace kml::io {

inline constexpr int stdin_fd = 0;
inline constexpr int stdout_fd = 1;
inline constexpr int stderr_fd = 2;

// An owned file descriptor: move-only, closed when destroyed.
class fd {
public:
  constexpr fd() noexcept = default;
  constexpr explicit fd(int raw) noexcept : raw_(raw) {}
  fd(const fd &) = delete;
  fd &operator=(const fd &) = delete;
  fd(fd &&other) noexcept : raw_(other.release()) {}
  fd &operator=(fd &&other) noexcept {
    if (this != &other)
      reset(other.release());
    return *this;
  }
  ~fd() { reset(); }

  constexpr bool valid() const noexcept { return raw_ >= 0; }
  constexpr int get() const noexcept { return raw_; }
  // Gives up ownership without closing.
  constexpr int release() noexcept {
    int raw = raw_;
    raw_ = -1;
    return raw;
  }
  void reset(int raw = -1) noexcept {
    if (raw_ >= 0)
      ::close(raw_);
    raw_ = raw;
  }

private:
  int raw_ = -1;
};

// Reads at most buf.size() bytes; 0 means end of file.
inline result<size_t> read(int from, span<char> buf) noexcept {
  for (;;) {
    ssize_t n = ::read(from, buf.data(), buf.size()); // the span's own range
    if (n >= 0)
      return static_cast<size_t>(n);
    if (errno != EINTR)
      return failure{errno};
  }
}

// Writes at most buf.size() bytes; returns how many were written.
inline result<size_t> write(int to, span<const char> buf) noexcept {
  for (;;) {
    ssize_t n = ::write(to, buf.data(), buf.size()); // the span's own range
    if (n >= 0)
      return static_cast<size_t>(n);
    if (errno != EINTR)
      return failure{errno};
  }
}

// Writes all of `buf`, looping over short writes.
inline status write_all(int to, span<const char> buf) noexcept {
  while (!buf.empty()) {
    result<size_t> n = write(to, buf);
    if (!n)
      return failure{n.error()};
    if (n.value() == 0)
      return failure{EIO};
    buf = buf.subspan(n.value());
  }
  return done{};
}
inline status write_all(int to, string_view text) noexcept {
  return write_all(to, text.chars());
}

// A path copied into a NUL-terminated buffer for libc.
using path_buffer = fixed_string<1024>;

inline result<fd> open(string_view path, int flags, mode_t mode = 0) noexcept {
  path_buffer zpath(path);
  if (zpath.truncated())
    return failure{ENAMETOOLONG};
  for (;;) {
    int raw = ::open(zpath.c_str(), flags | O_CLOEXEC, mode);
    if (raw >= 0)
      return fd(raw);
    if (errno != EINTR)
      return failure{errno};
  }
}

// ---- IPv4 TCP sockets -----------------------------------------------------

// An IPv4 address in host byte order, e.g. ipv4_loopback.
struct ipv4 {
  uint32_t host_order = 0;
};
inline constexpr ipv4 ipv4_loopback{0x7f000001u};

namespace detail {
inline sockaddr_in make_sockaddr(ipv4 addr, uint16_t port) noexcept {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(addr.host_order);
  return sa;
}
inline status from_rc(int rc) noexcept {
  if (rc == 0)
    return done{};
  return failure{errno};
}
} // namespace detail

inline result<fd> tcp_socket() noexcept {
  int raw = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (raw < 0)
    return failure{errno};
  return fd(raw);
}

// SO_REUSEADDR, so a test server can rebind a port in TIME_WAIT.
inline status set_reuse_address(const fd &sock) noexcept {
  int on = 1;
  return detail::from_rc(
      ::setsockopt(sock.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on));
}

// Makes blocking reads on `sock` fail with EAGAIN after `seconds` without
// data, so a silent peer cannot stall a server forever.
inline status set_receive_timeout(const fd &sock, int seconds) noexcept {
  timeval tv{};
  tv.tv_sec = seconds;
  return detail::from_rc(
      ::setsockopt(sock.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
}

// The socket API takes a generic sockaddr*; sockaddr_in is one of its
// documented layouts and the length passed is exactly sizeof(sockaddr_in).
inline status bind(const fd &sock, ipv4 addr, uint16_t port) noexcept {
  sockaddr_in sa = detail::make_sockaddr(addr, port);
  return detail::from_rc(
      ::bind(sock.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa));
}

inline status listen(const fd &sock, int backlog) noexcept {
  return detail::from_rc(::listen(sock.get(), backlog));
}

inline result<fd> accept(const fd &sock) noexcept {
  for (;;) {
    int raw = ::accept4(sock.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (raw >= 0)
      return fd(raw);
    if (errno != EINTR && errno != ECONNABORTED)
      return failure{errno};
  }
}

inline status connect(const fd &sock, ipv4 addr, uint16_t port) noexcept {
  sockaddr_in sa = detail::make_sockaddr(addr, port);
  for (;;) {
    int rc =
        ::connect(sock.get(), reinterpret_cast<sockaddr *>(&sa), sizeof sa);
    if (rc == 0)
      return done{};
    if (errno != EINTR)
      return failure{errno};
  }
}

// The port a socket is bound to (after binding port 0, the one the kernel
// picked).
inline result<uint16_t> local_port(const fd &sock) noexcept {
  sockaddr_in sa{};
  socklen_t len = sizeof sa;
  if (::getsockname(sock.get(), reinterpret_cast<sockaddr *>(&sa), &len) != 0)
    return failure{errno};
  if (len != sizeof sa || sa.sin_family != AF_INET)
    return failure{EAFNOSUPPORT};
  return static_cast<uint16_t>(ntohs(sa.sin_port));
}

// A server's writes to a peer that has gone fail with EPIPE instead of
// killing the process with SIGPIPE, whose default action is to terminate:
// one client closing early must not stop a server answering the others.
// SIG_IGN is a cast of the integer 1 to a handler pointer, which
// application code may not write (rule R003).
inline status ignore_broken_pipe() noexcept {
  struct sigaction action = {};
  action.sa_handler = SIG_IGN;
  return detail::from_rc(::sigaction(SIGPIPE, &action, nullptr));
}

// Ends our sending side: the peer reads end of file.
inline status shutdown_write(const fd &sock) noexcept {
  return detail::from_rc(::shutdown(sock.get(), SHUT_WR));
}

// ---- line input -----------------------------------------------------------

// What line_reader::next() found.
enum class line_status {
  line,     // a complete line (the final one may lack '\n')
  end,      // end of input, no more lines
  too_long, // a line longer than the buffer; it was skipped entirely
  error,    // read failed; see line::error
};

struct line {
  line_status status = line_status::end;
  string_view text; // without '\n'; valid until the next call to next()
  int error = 0;
};

// Splits a descriptor's input into lines using a fixed buffer of N bytes:
// lines of up to N - 1 characters (N with their '\n') come through whole.
// Reads only when the buffer holds no complete line.
template <size_t N> class line_reader {
public:
  explicit line_reader(int from) noexcept : from_(from) {}

  line next() noexcept {
    bool skipping = false; // inside an over-long line
    for (;;) {
      span<const char> pending = buf_.span().subspan(start_, end_ - start_);
      size_t newline = string_view(pending).find('\n');
      if (newline != string_view::npos) {
        start_ += newline + 1;
        if (skipping)
          return {line_status::too_long, string_view(), 0};
        return {line_status::line, string_view(pending.first(newline)), 0};
      }
      if (eof_) {
        start_ = end_;
        if (skipping)
          return {line_status::too_long, string_view(), 0};
        if (pending.empty())
          return {line_status::end, string_view(), 0};
        return {line_status::line, string_view(pending), 0};
      }
      if (start_ == 0 && end_ == N) {
        // A full buffer without a newline: drop it and skip to the next one.
        skipping = true;
        start_ = end_ = 0;
      }
      compact();
      result<size_t> n = read(from_, buf_.span().subspan(end_));
      if (!n)
        return {line_status::error, string_view(), n.error()};
      if (n.value() == 0)
        eof_ = true;
      end_ += n.value();
    }
  }

private:
  // Moves the unread bytes to the front so that the free space is one piece.
  void compact() noexcept {
    if (start_ == 0)
      return;
    size_t pending = end_ - start_;
    for (size_t i = 0; i < pending; ++i)
      buf_[i] = buf_[start_ + i];
    start_ = 0;
    end_ = pending;
  }

  int from_;
  array<char, N> buf_{};
  size_t start_ = 0; // first unread byte
  size_t end_ = 0;   // one past the last byte read
  bool eof_ = false;
};

} // namespace kml::io
