// echo-server: a line echo server over TCP on 127.0.0.1, and its client, in
// C++20 on the standard library.
//
//   echo-server serve  --connections N [--port P] [--timeout S]
//       Listens on 127.0.0.1:P (P = 0: the kernel picks a free port), prints
//       "listening PORT" on stdout, serves N connections one after another,
//       prints "served N connections LINES lines BYTES bytes" and exits.
//       A client silent for S seconds (default 10) is dropped, so a broken
//       peer cannot keep the server (or a test) alive forever.
//   echo-server client --port P [--messages M] [--size S]
//       Sends M lines of S bytes one at a time, checks that each comes back
//       unchanged, asks for STATS, ends with BYE. Exit status 0 if all good.
//
// Protocol, one line each way: any line is echoed back, except
//   STATS -> "STATS lines=L bytes=B" for this connection
//   BYE   -> "BYE", then the server closes the connection.
// Lines longer than 1024 bytes get "ERR line too long".
//
// Sockets come from the kml runtime (kml/io.hpp), which holds the casts to
// struct sockaddr that application code may not write; everything else is
// the standard library.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../common/line_io.hpp"
#include "../common/numbers.hpp"
#include "kml/arguments.hpp"
#include "kml/io.hpp"

namespace {

namespace io = kml::io;

constexpr std::size_t max_line = 1024;

void say(int to, std::string_view text) { (void)line_io::write_line(to, text); }

// Per-connection and per-server totals.
struct counters {
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
};

// The reply to one line of a connection that has echoed `mine` so far, or
// nothing after BYE (which is answered before the connection closes).
std::optional<std::string> reply_to(const line_io::line &in, counters &mine) {
  if (in.status == line_io::line_status::too_long)
    return "ERR line too long";
  if (in.text == "BYE")
    return std::nullopt;
  if (in.text == "STATS")
    return "STATS lines=" + std::to_string(mine.lines) +
           " bytes=" + std::to_string(mine.bytes);
  ++mine.lines;
  mine.bytes += in.text.size();
  return in.text;
}

// Serves one connection until BYE, end of input, a timeout or an error.
// Adds what it echoed to `total`.
void serve_connection(const io::fd &conn, counters &total) {
  counters mine;
  line_io::line_reader lines(conn.get(), max_line);
  for (;;) {
    const line_io::line in = lines.next();
    if (in.status == line_io::line_status::end ||
        in.status == line_io::line_status::error)
      break;
    const std::optional<std::string> out = reply_to(in, mine);
    if (!out) {
      say(conn.get(), "BYE");
      break;
    }
    if (!line_io::write_line(conn.get(), *out))
      break;
  }
  total.lines += mine.lines;
  total.bytes += mine.bytes;
}

// A listening socket on 127.0.0.1:port, or nothing (after a message).
std::optional<io::fd> listen_on(std::uint16_t port) {
  kml::result<io::fd> made = io::tcp_socket();
  if (!made) {
    say(line_io::stderr_fd, "echo-server: socket failed");
    return std::nullopt;
  }
  io::fd server = made.take();
  if (!io::set_reuse_address(server).ok() ||
      !io::bind(server, io::ipv4_loopback, port).ok() ||
      !io::listen(server, 16).ok()) {
    say(line_io::stderr_fd, "echo-server: cannot listen on 127.0.0.1");
    return std::nullopt;
  }
  return server;
}

int serve(std::uint16_t port, std::uint64_t connections, int timeout) {
  std::optional<io::fd> server = listen_on(port);
  if (!server)
    return 1;
  const kml::result<std::uint16_t> bound = io::local_port(*server);
  if (!bound)
    return 1;
  say(line_io::stdout_fd, "listening " + std::to_string(bound.value()));

  counters total;
  for (std::uint64_t served = 0; served < connections; ++served) {
    kml::result<io::fd> conn = io::accept(*server);
    if (!conn) {
      say(line_io::stderr_fd, "echo-server: accept failed");
      return 1;
    }
    const io::fd client = conn.take();
    (void)io::set_receive_timeout(client, timeout);
    serve_connection(client, total);
  }
  say(line_io::stdout_fd, "served " + std::to_string(connections) +
                              " connections " + std::to_string(total.lines) +
                              " lines " + std::to_string(total.bytes) +
                              " bytes");
  return 0;
}

// Sends `request` (one line, without its '\n') and reads one line back;
// false (after a message) unless the reply is `expected`.
bool round_trip(const io::fd &conn, line_io::line_reader &lines,
                std::string_view request, std::string_view expected) {
  if (!line_io::write_line(conn.get(), request)) {
    say(line_io::stderr_fd, "client: write failed");
    return false;
  }
  const line_io::line back = lines.next();
  if (back.status != line_io::line_status::line || back.text != expected) {
    say(line_io::stderr_fd,
        "client: wrong reply (" + std::to_string(back.text.size()) +
            " bytes) to " + std::string(request.substr(0, 40)));
    return false;
  }
  return true;
}

// "msg-<i>-" padded to `size` bytes with a letter that depends on i.
std::string message(std::uint64_t i, std::size_t size) {
  std::string text = "msg-" + std::to_string(i) + "-";
  text.resize(size, static_cast<char>('a' + i % 26));
  return text;
}

int client(std::uint16_t port, std::uint64_t messages, std::uint64_t size) {
  if (size == 0 || size > max_line) {
    say(line_io::stderr_fd, "client: --size must be 1..1024");
    return 2;
  }
  kml::result<io::fd> made = io::tcp_socket();
  if (!made)
    return 1;
  const io::fd conn = made.take();
  if (!io::connect(conn, io::ipv4_loopback, port).ok()) {
    say(line_io::stderr_fd, "client: cannot connect to 127.0.0.1");
    return 1;
  }
  (void)io::set_receive_timeout(conn, 10);
  line_io::line_reader lines(conn.get(), max_line);
  std::uint64_t bytes = 0;
  for (std::uint64_t i = 0; i < messages; ++i) {
    const std::string text = message(i, static_cast<std::size_t>(size));
    if (!round_trip(conn, lines, text, text))
      return 1;
    bytes += text.size();
  }
  const std::string stats = "STATS lines=" + std::to_string(messages) +
                            " bytes=" + std::to_string(bytes);
  if (!round_trip(conn, lines, "STATS", stats) ||
      !round_trip(conn, lines, "BYE", "BYE"))
    return 1;
  say(line_io::stdout_fd,
      "client: " + std::to_string(messages) + " messages ok");
  return 0;
}

struct options {
  std::uint64_t port = 0;
  std::uint64_t connections = 1;
  std::uint64_t timeout = 10;
  std::uint64_t messages = 100;
  std::uint64_t size = 64;
};

// Parses `--name value` pairs after the subcommand.
std::optional<options>
parse_options(const std::vector<std::string_view> &args) {
  options opt;
  for (std::size_t i = 2; i < args.size(); i += 2) {
    const std::string_view name = args[i];
    const std::optional<std::uint64_t> value =
        i + 1 < args.size() ? numbers::parse_decimal(args[i + 1])
                            : std::nullopt;
    if (!value)
      return std::nullopt;
    if (name == "--port")
      opt.port = *value;
    else if (name == "--connections")
      opt.connections = *value;
    else if (name == "--timeout")
      opt.timeout = *value;
    else if (name == "--messages")
      opt.messages = *value;
    else if (name == "--size")
      opt.size = *value;
    else
      return std::nullopt;
  }
  if (opt.port > 65535 || opt.timeout < 1 || opt.timeout > 3600)
    return std::nullopt;
  return opt;
}

int usage() {
  say(line_io::stderr_fd, "usage: echo-server serve --connections N "
                          "[--port P] [--timeout S]");
  say(line_io::stderr_fd, "       echo-server client --port P [--messages M] "
                          "[--size S]");
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  const std::vector<std::string_view> args = kml::arguments(argc, argv);
  if (args.size() < 2)
    return usage();
  const std::optional<options> opt = parse_options(args);
  if (!opt)
    return usage();
  const auto port = static_cast<std::uint16_t>(opt->port);
  // A client gone mid-reply makes the write fail with EPIPE, not the
  // server die of SIGPIPE.
  if (!io::ignore_broken_pipe().ok())
    return 1;
  if (args[1] == "serve")
    return serve(port, opt->connections, static_cast<int>(opt->timeout));
  if (args[1] == "client" && port != 0)
    return client(port, opt->messages, opt->size);
  return usage();
}
