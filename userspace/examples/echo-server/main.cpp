// echo-server: a line echo server over TCP on 127.0.0.1, and its client.
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
// Lines longer than the server's buffer get "ERR line too long".
#include <cstdint>

#include "kml/args.hpp"
#include "kml/io.hpp"
#include "kml/string.hpp"

namespace {

using kml::string_view;
namespace io = kml::io;

constexpr size_t max_line = 1024;
using line_text = kml::fixed_string<max_line + 2>; // a line, '\n', NUL
// A reader's buffer must also hold the '\n' that ends a maximal line.
using line_reader = kml::io::line_reader<max_line + 1>;

// Short messages (status, errors): cut at 127 characters, which is fine for
// a log line and keeps stack frames small (kml-verify bounds the stack).
using message = kml::fixed_string<128>;

void say(int to, string_view text) noexcept {
  message line(text);
  line.push_back('\n');
  (void)io::write_all(to, line.view());
}

// Per-connection and per-server totals.
struct counters {
  uint64_t lines = 0;
  uint64_t bytes = 0;
};

// Serves one connection until BYE, end of input, a timeout or an error.
// Adds what it echoed to `total`.
void serve_connection(const io::fd &conn, counters &total) noexcept {
  counters mine;
  line_reader lines(conn.get());
  for (;;) {
    io::line l = lines.next();
    line_text out;
    if (l.status == io::line_status::end || l.status == io::line_status::error)
      break;
    if (l.status == io::line_status::too_long) {
      out.append("ERR line too long");
    } else if (l.text == "BYE") {
      say(conn.get(), "BYE");
      break;
    } else if (l.text == "STATS") {
      out.append("STATS lines=");
      out.append_u64(mine.lines);
      out.append(" bytes=");
      out.append_u64(mine.bytes);
    } else {
      out.append(l.text);
      ++mine.lines;
      mine.bytes += l.text.size();
    }
    out.push_back('\n');
    if (!io::write_all(conn.get(), out.view()).ok())
      break;
  }
  total.lines += mine.lines;
  total.bytes += mine.bytes;
}

int serve(uint16_t port, uint64_t connections, int timeout) noexcept {
  kml::result<io::fd> made = io::tcp_socket();
  if (!made) {
    say(io::stderr_fd, "echo-server: socket failed");
    return 1;
  }
  io::fd server = made.take();
  if (!io::set_reuse_address(server).ok() ||
      !io::bind(server, io::ipv4_loopback, port).ok() ||
      !io::listen(server, 16).ok()) {
    say(io::stderr_fd, "echo-server: cannot listen on 127.0.0.1");
    return 1;
  }
  kml::result<uint16_t> bound = io::local_port(server);
  if (!bound)
    return 1;
  message hello("listening ");
  hello.append_u64(bound.value());
  say(io::stdout_fd, hello);

  counters total;
  for (uint64_t served = 0; served < connections; ++served) {
    kml::result<io::fd> conn = io::accept(server);
    if (!conn) {
      say(io::stderr_fd, "echo-server: accept failed");
      return 1;
    }
    io::fd c = conn.take();
    (void)io::set_receive_timeout(c, timeout);
    serve_connection(c, total);
  }
  message bye("served ");
  bye.append_u64(connections);
  bye.append(" connections ");
  bye.append_u64(total.lines);
  bye.append(" lines ");
  bye.append_u64(total.bytes);
  bye.append(" bytes");
  say(io::stdout_fd, bye);
  return 0;
}

// Sends `request` (one line, '\n' included) and reads one line back; false
// (after a message) unless the reply is `expected`.
bool round_trip(const io::fd &conn, line_reader &lines, string_view request,
                string_view expected) noexcept {
  if (!io::write_all(conn.get(), request).ok()) {
    say(io::stderr_fd, "client: write failed");
    return false;
  }
  io::line back = lines.next();
  if (back.status != io::line_status::line || !(back.text == expected)) {
    message why("client: wrong reply (");
    why.append_u64(back.text.size());
    why.append(" bytes) to ");
    why.append(request.substr(0, 40).trim());
    say(io::stderr_fd, why);
    return false;
  }
  return true;
}

int client(uint16_t port, uint64_t messages, uint64_t size) noexcept {
  if (size == 0 || size > max_line) {
    say(io::stderr_fd, "client: --size must be 1..1024");
    return 2;
  }
  kml::result<io::fd> made = io::tcp_socket();
  if (!made)
    return 1;
  io::fd conn = made.take();
  if (!io::connect(conn, io::ipv4_loopback, port).ok()) {
    say(io::stderr_fd, "client: cannot connect to 127.0.0.1");
    return 1;
  }
  (void)io::set_receive_timeout(conn, 10);
  line_reader lines(conn.get());
  uint64_t bytes = 0;
  for (uint64_t i = 0; i < messages; ++i) {
    // "msg-<i>-" padded with a letter that depends on i, to `size` bytes,
    // then the newline.
    line_text request("msg-");
    request.append_u64(i);
    request.push_back('-');
    while (request.size() < size)
      request.push_back(static_cast<char>('a' + i % 26));
    request.keep_first(size);
    request.push_back('\n');
    string_view line = request.view();
    string_view text = line.substr(0, size);
    if (!round_trip(conn, lines, line, text))
      return 1;
    bytes += text.size();
  }
  message stats("STATS lines=");
  stats.append_u64(messages);
  stats.append(" bytes=");
  stats.append_u64(bytes);
  if (!round_trip(conn, lines, "STATS\n", stats) ||
      !round_trip(conn, lines, "BYE\n", "BYE"))
    return 1;
  message done("client: ");
  done.append_u64(messages);
  done.append(" messages ok");
  say(io::stdout_fd, done);
  return 0;
}

struct options {
  uint64_t port = 0;
  uint64_t connections = 1;
  uint64_t timeout = 10;
  uint64_t messages = 100;
  uint64_t size = 64;
};

bool parse_options(const kml::args &args, options &opt) noexcept {
  for (size_t i = 2; i < args.size(); i += 2) {
    string_view name = args[i];
    kml::result<uint64_t> value =
        i + 1 < args.size() ? kml::parse_u64(args[i + 1])
                            : kml::result<uint64_t>(kml::failure{EINVAL});
    if (!value)
      return false;
    if (name == "--port")
      opt.port = value.value();
    else if (name == "--connections")
      opt.connections = value.value();
    else if (name == "--timeout")
      opt.timeout = value.value();
    else if (name == "--messages")
      opt.messages = value.value();
    else if (name == "--size")
      opt.size = value.value();
    else
      return false;
  }
  return opt.port <= 65535 && opt.timeout >= 1 && opt.timeout <= 3600;
}

void usage() noexcept {
  say(io::stderr_fd, "usage: echo-server serve --connections N [--port P] "
                     "[--timeout S]");
  say(io::stderr_fd, "       echo-server client --port P [--messages M] "
                     "[--size S]");
}

} // namespace

int main(int argc, char **argv) {
  kml::args args(argc, argv);
  options opt;
  if (args.size() < 2 || !parse_options(args, opt)) {
    usage();
    return 2;
  }
  auto port = static_cast<uint16_t>(opt.port);
  if (args[1] == "serve")
    return serve(port, opt.connections, static_cast<int>(opt.timeout));
  if (args[1] == "client" && port != 0)
    return client(port, opt.messages, opt.size);
  usage();
  return 2;
}
