#!/usr/bin/env python3
"""End-to-end test of echo-server over 127.0.0.1 only; bounded and
self-terminating (the server serves a fixed number of connections, every
socket has a timeout and the whole run is under a deadline).

Usage: loopback_test.py ECHO_SERVER
"""
import socket
import subprocess
import sys

CONNECTIONS = 5


def recv_line(sock):
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def main():
    app = sys.argv[1]
    server = subprocess.Popen(
        [app, "serve", "--connections", str(CONNECTIONS), "--timeout", "1"],
        stdout=subprocess.PIPE, text=True)
    try:
        hello = server.stdout.readline()
        assert hello.startswith("listening "), hello
        port = int(hello.split()[1])
        assert 0 < port < 65536

        # 1, 2: the ring-0 client, small and maximal lines.
        for messages, size in ((200, 16), (20, 1024)):
            out = subprocess.run(
                [app, "client", "--port", str(port), "--messages",
                 str(messages), "--size", str(size)],
                capture_output=True, text=True, timeout=30)
            assert out.returncode == 0, out.stderr
            assert out.stdout == "client: %d messages ok\n" % messages, out

        # 3: an over-long line is refused, the connection survives.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"x" * 5000 + b"\n")
            assert recv_line(s) == b"ERR line too long\n"
            s.sendall(b"still here\nSTATS\n")
            assert recv_line(s) == b"still here\n"
            assert recv_line(s) == b"STATS lines=1 bytes=10\n"
            s.sendall(b"BYE\n")
            assert recv_line(s) == b"BYE\n"
            assert s.recv(1) == b""  # the server closed

        # 4: a silent client is dropped after the 1 s receive timeout.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            assert s.recv(1) == b""

        # 5: a client that vanishes without BYE, mid-line.
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"abc\npartial")
            assert recv_line(s) == b"abc\n"

        rest, _ = server.communicate(timeout=30)
        assert server.returncode == 0, server.returncode
        # Lines echoed: 200 + 20 + 1 + 0 + 1 (abc) + 1 ("partial" at EOF).
        lines = 200 + 20 + 1 + 1 + 1
        size = 200 * 16 + 20 * 1024 + 10 + 3 + 7
        want = "served %d connections %d lines %d bytes\n" % (
            CONNECTIONS, lines, size)
        assert rest == want, (rest, want)
        print("ok: " + rest, end="")
        return 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
