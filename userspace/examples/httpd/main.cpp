// httpd: an HTTP/1.1 static file server for ring-0 applications, in C++20 on
// the standard library.
//
//   httpd serve --root DIR [--port P] [--requests N] [--timeout S]
//
// Listens on 127.0.0.1:P (0: the kernel picks), prints "listening PORT",
// serves connections one after another (no threads, no fork) until N
// requests (default 100) are answered, prints "served N requests BYTES bytes"
// (response bodies) and exits 0. Logs "METHOD TARGET STATUS BYTES" to stderr.
//
// GET and HEAD; keep-alive and pipelining (1.1 keeps the connection unless
// "Connection: close", 1.0 closes unless "Connection: keep-alive");
// Content-Type by extension; index.html for a path ending in '/'; percent-
// decoding; the query is ignored. Errors have a short text body: 400
// malformed, 403 a path that could leave the root, 404, 405 other methods,
// 414 target over 2 KiB, 431 head over 8 KiB, 500 unreadable or over 16 MiB
// (bodies are held in memory), 505 other versions. A client silent for S
// seconds (default 10), or slower than that to send a request head, is
// dropped.
//
// SIGPIPE is ignored (kml::io::ignore_broken_pipe()): a peer that closes
// before a large response is written makes the write fail with EPIPE, and
// the server goes on with the next connection instead of dying.
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

#include "../common/numbers.hpp"
#include "kml/arguments.hpp"
#include "kml/io.hpp"

namespace {

namespace io = kml::io;
using clock_type = std::chrono::steady_clock;
constexpr std::size_t npos = std::string_view::npos;

constexpr std::size_t max_head = 8 * 1024;   // request line and headers
constexpr std::size_t max_target = 2 * 1024; // request target
constexpr std::size_t max_file = 16 * 1024 * 1024;
constexpr std::size_t read_size = 4096; // bytes per read(2)

// ---- text -------------------------------------------------------------------

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
char lower_char(char c) {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view s) {
  std::string out;
  for (char c : s)
    out.push_back(lower_char(c));
  return out;
}

std::string_view trim(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  return first == npos ? ""
                       : s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Whether a comma-separated list (a Connection header) names `token`.
bool lists_token(std::string_view list, std::string_view token) {
  for (;;) {
    const std::size_t comma = list.find(',');
    if (trim(list.substr(0, comma)) == token)
      return true;
    if (comma == npos)
      return false;
    list.remove_prefix(comma + 1);
  }
}

// ---- request parser ---------------------------------------------------------

struct request {
  int error = 0; // 0, or the status a malformed request is answered with
  std::string method;
  std::string target;
  bool keep_alive = false; // only ever true for a well-formed request
  bool has_body = false;   // bodies are not read, so the connection closes
};

// Applies one header line to `req`; false if the line is malformed.
bool parse_header(std::string_view line, request &req) {
  const std::size_t colon = line.find(':');
  // A name is non-empty and has no blanks, which also refuses obs-fold.
  if (colon == 0 || colon == npos ||
      line.substr(0, colon).find_first_of(" \t") != npos)
    return false;
  const std::string name = lower(line.substr(0, colon));
  const std::string value = lower(trim(line.substr(colon + 1)));
  if (name == "connection" && lists_token(value, "close"))
    req.keep_alive = false;
  else if (name == "connection" && lists_token(value, "keep-alive"))
    req.keep_alive = true;
  else if (name == "content-length" && !numbers::parse_decimal(value))
    return false;
  else if (name == "content-length" || name == "transfer-encoding")
    req.has_body = req.has_body || value != "0";
  return true;
}

// Parses a head: "METHOD TARGET HTTP/x.y", header lines, an empty line, each
// ended by CRLF. Until the whole head has been checked, the answer is 400.
request parse_request(std::string_view head) {
  request req;
  req.error = 400;
  const std::size_t eol = head.find("\r\n");
  const std::string_view line = head.substr(0, eol);
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == npos ? npos : line.find(' ', sp1 + 1);
  if (eol == npos || sp2 == npos || line.find(' ', sp2 + 1) != npos)
    return req; // not three parts separated by single spaces
  const std::string_view version = line.substr(sp2 + 1);
  req.method = line.substr(0, sp1);
  req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (req.method.empty() || !std::ranges::all_of(req.method, is_upper) ||
      req.target.empty() || !version.starts_with("HTTP/"))
    return req;
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    req.error = 505;
    return req;
  }
  if (req.target.size() > max_target) {
    req.error = 414;
    return req;
  }
  req.keep_alive = version == "HTTP/1.1"; // 1.0 closes unless asked not to
  for (std::string_view rest = head.substr(eol + 2);;) {
    const std::size_t end = rest.find("\r\n");
    if (end == 0)
      break; // the empty line that ends the head
    const std::string_view field = rest.substr(0, end);
    if (end == npos || field.find_first_of("\r\n") != npos ||
        !parse_header(field, req)) {
      req.keep_alive = false;
      return req;
    }
    rest.remove_prefix(end + 2);
  }
  req.error = 0;
  return req;
}

// ---- path resolver ----------------------------------------------------------

int hex_digit(char c) {
  const std::size_t at =
      std::string_view("0123456789abcdef").find(lower_char(c));
  return at == npos ? -1 : static_cast<int>(at);
}

// The text with %XX escapes decoded; nullopt if an escape is malformed.
std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (high < 0 || low < 0)
      return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// The target without its query (and fragment, which clients should not send).
std::string_view raw_path(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

bool has_dot_dot_segment(std::string_view path) {
  for (;;) {
    const std::size_t slash = path.find('/');
    if (path.substr(0, slash) == "..")
      return true;
    if (slash == npos)
      return false;
    path.remove_prefix(slash + 1);
  }
}

struct resolved {
  int status = 0;   // 0, or the status to refuse the request with
  std::string path; // decoded, '/' first, relative to the root
};

// Maps a request target to a path below the root. What could name something
// outside it (a ".." segment after decoding, NUL, backslash) is refused, not
// normalised: clever normalisers are where traversal bugs live. Symbolic
// links inside the root are followed: the root is trusted content.
resolved resolve(std::string_view target) {
  resolved out;
  const std::string_view raw = raw_path(target);
  const std::optional<std::string> decoded = percent_decode(raw);
  // Only visible ASCII (RFC 3986: the rest must be percent-encoded); control
  // characters would also end up in a Location header.
  const auto invisible = [](unsigned char c) { return c <= ' ' || c >= 127; };
  if (!decoded || !raw.starts_with('/') ||
      std::ranges::any_of(raw, invisible)) {
    out.status = 400;
    return out;
  }
  std::string path = *decoded;
  if (path.find('\0') != npos || path.find('\\') != npos ||
      has_dot_dot_segment(path)) {
    out.status = 403;
    return out;
  }
  if (path.ends_with('/'))
    path += "index.html";
  out.path = std::move(path);
  return out;
}

std::string content_type(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10>
      types{{{"html", "text/html; charset=utf-8"},
             {"htm", "text/html; charset=utf-8"},
             {"txt", "text/plain; charset=utf-8"},
             {"css", "text/css"},
             {"js", "text/javascript"},
             {"json", "application/json"},
             {"png", "image/png"},
             {"jpg", "image/jpeg"},
             {"jpeg", "image/jpeg"},
             {"svg", "image/svg+xml"}}};
  const std::string_view name = path.substr(path.rfind('/') + 1);
  const std::size_t dot = name.rfind('.');
  const std::string extension = dot == npos ? "" : lower(name.substr(dot + 1));
  for (const auto &[known, type] : types)
    if (extension == known)
      return std::string(type);
  return "application/octet-stream";
}

// ---- response writer --------------------------------------------------------

struct response {
  int status = 200;
  std::string type = "text/plain; charset=utf-8";
  std::string body;
  std::string location; // of a 301
};

std::string_view reason(int status) {
  static constexpr std::array<std::pair<int, std::string_view>, 9> reasons{
      {{200, "OK"},
       {301, "Moved Permanently"},
       {400, "Bad Request"},
       {403, "Forbidden"},
       {404, "Not Found"},
       {405, "Method Not Allowed"},
       {414, "URI Too Long"},
       {431, "Request Header Fields Too Large"},
       {505, "HTTP Version Not Supported"}}};
  for (const auto &[code, text] : reasons)
    if (code == status)
      return text;
  return "Internal Server Error";
}

response error_response(int status) {
  response res;
  res.status = status;
  res.body = std::to_string(status) + " " + std::string(reason(status)) + "\n";
  return res;
}

std::string render_head(const response &res, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(res.status) + " ";
  head += reason(res.status);
  head += "\r\nServer: kml-httpd\r\nContent-Type: " + res.type;
  head += "\r\nContent-Length: " + std::to_string(res.body.size()) + "\r\n";
  if (res.status == 405)
    head += "Allow: GET, HEAD\r\n";
  if (!res.location.empty())
    head += "Location: " + res.location + "\r\n";
  head += keep_alive ? "Connection: keep-alive\r\n\r\n"
                     : "Connection: close\r\n\r\n";
  return head;
}

// Writes all of `bytes`; false if the peer is gone or the write failed.
bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// ---- files ------------------------------------------------------------------

// Owns a C stream (stdio, because fopen is on the allowlist and open(2) is
// not): fclose() on every way out.
class c_file {
public:
  explicit c_file(const std::string &path)
      : file_(std::fopen(path.c_str(), "rb")) {}
  ~c_file() {
    if (file_ != nullptr)
      std::fclose(file_);
  }
  c_file(const c_file &) = delete;
  c_file &operator=(const c_file &) = delete;
  std::FILE *get() const { return file_; }

private:
  std::FILE *file_;
};

// The whole file as a 200 response, or the error: 403 not readable, 404
// missing, 301 a directory (the caller says where to), 500 over max_file or
// unreadable.
response load_file(const std::string &path) {
  const c_file file(path);
  if (file.get() == nullptr)
    return error_response(errno == EACCES ? 403 : 404);
  std::FILE *stream = file.get();
  response res;
  std::string chunk;
  std::size_t n = 0;
  do {
    chunk.resize(64 * 1024);
    n = std::fread(chunk.data(), 1, chunk.size(), stream);
    chunk.resize(n);
    res.body += chunk;
  } while (n > 0 && res.body.size() <= max_file);
  if (std::ferror(stream) != 0) // a directory opens; reading it fails
    return error_response(errno == EISDIR ? 301 : 500);
  return res.body.size() > max_file ? error_response(500) : res;
}

// ---- connection loop --------------------------------------------------------

// Buffers a connection's input and cuts it into request heads. Bytes after a
// head stay buffered: they are the start of the next, pipelined, request.
class head_reader {
public:
  enum class outcome { head, closed, line_too_long, head_too_large };

  head_reader(int fd, int timeout) : fd_(fd), timeout_(timeout) {}

  // On outcome::head, `out` holds the head, its empty line included.
  outcome next(std::string &out) {
    // The whole head within the timeout, not each read: a client sending a
    // byte a second must not hold the (single-threaded) server for hours.
    const clock_type::time_point deadline = clock_type::now() + timeout_;
    for (;;) {
      while (pending_.starts_with("\r\n")) // RFC 9112 2.2: skip empty lines
        pending_.erase(0, 2);
      const std::size_t end = pending_.find("\r\n\r\n");
      if (end != npos && end + 4 <= max_head) {
        out = pending_.substr(0, end + 4);
        pending_.erase(0, end + 4);
        return outcome::head;
      }
      if (pending_.size() > max_head) // the request line alone, or all of it?
        return pending_.find("\r\n") > max_target ? outcome::line_too_long
                                                  : outcome::head_too_large;
      if (!fill() || clock_type::now() > deadline)
        return outcome::closed;
    }
  }

  // Before a close: stop sending, then discard what the client still sends
  // (within the timeout), so that the close is not a reset, which can make
  // the client lose the response still in its buffers.
  void drain(const io::fd &conn) {
    (void)io::shutdown_write(conn);
    const clock_type::time_point deadline = clock_type::now() + timeout_;
    while (fill() && clock_type::now() < deadline)
      pending_.clear();
  }

private:
  // Reads once; false at end of input, on an error, or when the receive
  // timeout expires (SO_RCVTIMEO makes read(2) fail with EAGAIN).
  bool fill() {
    for (;;) {
      chunk_.resize(read_size);
      const ssize_t n = ::read(fd_, chunk_.data(), chunk_.size());
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      chunk_.resize(static_cast<std::size_t>(n));
      pending_ += chunk_;
      return true;
    }
  }

  int fd_;
  std::chrono::seconds timeout_;
  std::string pending_;
  std::string chunk_;
};

class server {
public:
  server(std::string root, std::uint64_t limit, int timeout)
      : root_(std::move(root)), limit_(limit), timeout_(timeout) {}

  // Serves connections until `limit` requests are answered, then prints the
  // summary; false if accept() fails.
  bool run(const io::fd &listener) {
    bool ok = true;
    while (ok && served_ < limit_) {
      kml::result<io::fd> conn = io::accept(listener);
      ok = conn.ok();
      if (ok) {
        const io::fd c = conn.take();
        (void)io::set_receive_timeout(c, timeout_);
        serve_connection(c);
      }
    }
    const std::string summary = "served " + std::to_string(served_) +
                                " requests " + std::to_string(bytes_) +
                                " bytes\n";
    (void)send_all(io::stdout_fd, summary);
    return ok;
  }

private:
  void serve_connection(const io::fd &conn) {
    head_reader reader(conn.get(), timeout_);
    std::string head;
    while (served_ < limit_) {
      const head_reader::outcome got = reader.next(head);
      if (got == head_reader::outcome::closed)
        return;
      request req;
      if (got == head_reader::outcome::head)
        req = parse_request(head);
      else
        req.error = got == head_reader::outcome::line_too_long ? 414 : 431;
      const response res = req.error != 0 ? error_response(req.error)
                                          : answer(req.method, req.target);
      // An unread body would be taken for the next request: close instead.
      // The last response before exiting says so too.
      const bool keep = req.keep_alive && !req.has_body && served_ + 1 < limit_;
      const bool with_body = req.method != "HEAD";
      std::string out = render_head(res, keep);
      if (with_body)
        out += res.body; // one write: no Nagle delay between head and body
      const bool sent = send_all(conn.get(), out);
      ++served_;
      bytes_ += sent && with_body ? res.body.size() : 0;
      log(req, res.status, with_body ? res.body.size() : 0);
      if (!sent || !keep) {
        if (sent)
          reader.drain(conn);
        return;
      }
    }
  }

  // The response to a well-formed request.
  response answer(std::string_view method, std::string_view target) const {
    if (method != "GET" && method != "HEAD")
      return error_response(405);
    const resolved where = resolve(target);
    if (where.status != 0)
      return error_response(where.status);
    response res = load_file(root_ + where.path);
    if (res.status == 200)
      res.type = content_type(where.path);
    if (res.status == 301) // "/dir" to "/dir/", where index.html is
      res.location = std::string(raw_path(target)) + "/";
    return res;
  }

  static void log(const request &req, int status, std::size_t bytes) {
    const std::string line = (req.method.empty() ? "-" : req.method) + " " +
                             (req.target.empty() ? "-" : req.target) + " " +
                             std::to_string(status) + " " +
                             std::to_string(bytes) + "\n";
    (void)send_all(io::stderr_fd, line);
  }

  std::string root_;
  std::uint64_t limit_;
  int timeout_;
  std::uint64_t served_ = 0;
  std::uint64_t bytes_ = 0;
};

// ---- command line -----------------------------------------------------------

struct options {
  std::string root;
  std::uint64_t port = 0;
  std::uint64_t requests = 100;
  std::uint64_t timeout = 10;
};

std::optional<options>
parse_options(const std::vector<std::string_view> &args) {
  options opt;
  if (args.size() < 2 || args[1] != "serve" || args.size() % 2 != 0)
    return std::nullopt;
  for (std::size_t i = 2; i + 1 < args.size(); i += 2) {
    const std::string_view name = args[i];
    const std::string_view value = args[i + 1];
    const std::optional<std::uint64_t> number = numbers::parse_decimal(value);
    if (name == "--root")
      opt.root = value;
    else if (name == "--port" && number)
      opt.port = *number;
    else if (name == "--requests" && number)
      opt.requests = *number;
    else if (name == "--timeout" && number)
      opt.timeout = *number;
    else
      return std::nullopt;
  }
  if (opt.root.empty() || opt.port > 65535 || opt.requests == 0 ||
      opt.timeout == 0 || opt.timeout > 3600)
    return std::nullopt;
  return opt;
}

int serve(const options &opt) {
  kml::result<io::fd> made = io::tcp_socket();
  if (!made)
    return 1;
  const io::fd listener = made.take();
  const auto port = static_cast<std::uint16_t>(opt.port);
  if (!io::set_reuse_address(listener).ok() ||
      !io::bind(listener, io::ipv4_loopback, port).ok() ||
      !io::listen(listener, 16).ok()) {
    (void)send_all(io::stderr_fd, "httpd: cannot listen on 127.0.0.1\n");
    return 1;
  }
  const kml::result<std::uint16_t> bound = io::local_port(listener);
  if (!bound)
    return 1;
  // write(2), not stdio: a test waits for this line; it must not be buffered.
  const std::string hello = "listening " + std::to_string(bound.value()) + "\n";
  (void)send_all(io::stdout_fd, hello);
  server httpd(opt.root, opt.requests, static_cast<int>(opt.timeout));
  return httpd.run(listener) ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  const std::optional<options> opt = parse_options(kml::arguments(argc, argv));
  if (!opt || !io::ignore_broken_pipe().ok()) {
    (void)send_all(io::stderr_fd, "usage: httpd serve --root DIR [--port P] "
                                  "[--requests N] [--timeout S]\n");
    return 2;
  }
  return serve(*opt);
}
