#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include "kml/io.hpp"
#include "trap.hpp"

namespace {

using kml::string_view;

// A pipe whose write end is filled with `text` and closed.
struct filled_pipe {
  kml::io::fd read_end;
  explicit filled_pipe(string_view text) {
    int fds[2] = {-1, -1};
    EXPECT_EQ(::pipe(fds), 0);
    read_end = kml::io::fd(fds[0]);
    kml::io::fd write_end(fds[1]);
    EXPECT_TRUE(kml::io::write_all(write_end.get(), text).ok());
  }
};

TEST(Io, FdClosesOnDestruction) {
  int raw = -1;
  {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    kml::io::fd a(fds[0]);
    kml::io::fd b(fds[1]);
    raw = a.get();
    kml::io::fd moved(std::move(a));
    // A moved-from fd is defined to be invalid: what this checks.
    // NOLINTNEXTLINE(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
    EXPECT_FALSE(a.valid());
    EXPECT_EQ(moved.get(), raw);
  }
  EXPECT_EQ(::fcntl(raw, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(Io, ReadWriteRoundTrip) {
  filled_pipe p("hello");
  kml::array<char, 16> buf{};
  auto n = kml::io::read(p.read_end.get(), buf.span());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 5u);
  EXPECT_TRUE(string_view(buf.span().first(5)) == string_view("hello"));
  auto eof = kml::io::read(p.read_end.get(), buf.span());
  EXPECT_EQ(eof.value(), 0u);
}

TEST(Io, ErrorsCarryErrno) {
  kml::array<char, 4> buf{};
  auto n = kml::io::read(-1, buf.span());
  EXPECT_FALSE(n.ok());
  EXPECT_EQ(n.error(), EBADF);
  auto f = kml::io::open("/nonexistent/kml/file", O_RDONLY);
  EXPECT_EQ(f.error(), ENOENT);
}

TEST(Io, OpenRejectsOverlongPath) {
  kml::array<char, 2000> long_path{};
  long_path.fill('a');
  auto f = kml::io::open(string_view(long_path.span()), O_RDONLY);
  EXPECT_EQ(f.error(), ENAMETOOLONG);
}

TEST(Io, LinesIncludingUnterminatedLast) {
  filled_pipe p("one\ntwo\n\nthree");
  kml::io::line_reader<8> lines(p.read_end.get());
  const char *expected[] = {"one", "two", "", "three"};
  for (const char *e : expected) {
    auto l = lines.next();
    ASSERT_EQ(l.status, kml::io::line_status::line);
    EXPECT_TRUE(l.text == string_view(kml::span<const char>::unchecked(
                              e, std::char_traits<char>::length(e))));
  }
  EXPECT_EQ(lines.next().status, kml::io::line_status::end);
  EXPECT_EQ(lines.next().status, kml::io::line_status::end);
}

TEST(Io, OverlongLineIsSkipped) {
  filled_pipe p("ok\nthis line is far too long\nnext\nalso-too-long-at-eof");
  kml::io::line_reader<8> lines(p.read_end.get());
  auto a = lines.next();
  EXPECT_TRUE(a.text == string_view("ok"));
  EXPECT_EQ(lines.next().status, kml::io::line_status::too_long);
  auto b = lines.next();
  ASSERT_EQ(b.status, kml::io::line_status::line);
  EXPECT_TRUE(b.text == string_view("next"));
  EXPECT_EQ(lines.next().status, kml::io::line_status::too_long);
  EXPECT_EQ(lines.next().status, kml::io::line_status::end);
}

TEST(Io, LoopbackTcp) {
  auto server = kml::io::tcp_socket().take();
  ASSERT_TRUE(kml::io::bind(server, kml::io::ipv4_loopback, 0).ok());
  ASSERT_TRUE(kml::io::listen(server, 1).ok());
  uint16_t port = kml::io::local_port(server).value();
  EXPECT_NE(port, 0);

  auto client = kml::io::tcp_socket().take();
  ASSERT_TRUE(kml::io::connect(client, kml::io::ipv4_loopback, port).ok());
  auto conn = kml::io::accept(server).take();
  ASSERT_TRUE(kml::io::write_all(client.get(), "ping").ok());
  ASSERT_TRUE(kml::io::shutdown_write(client).ok());
  kml::io::line_reader<16> lines(conn.get());
  auto l = lines.next();
  EXPECT_TRUE(l.text == string_view("ping"));
}

TEST(IoDeath, TakingAFailedResultTraps) {
  EXPECT_TRAP((void)kml::io::open("/nonexistent/kml", O_RDONLY).take());
}

} // namespace
