#!/usr/bin/env python3
"""End-to-end test of httpd over 127.0.0.1 only; bounded and self-terminating
(the server answers a fixed number of requests, every socket and child has a
timeout).

Usage: http_test.py HTTPD

The server handles one connection at a time, so every connection here is
closed before the next one is opened.
"""
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

REQUESTS = 80  # what the server answers before it exits
TIMEOUT = 2  # --timeout, seconds

FILES = {
    "empty.txt": b"",
    "hello.txt": b"hello, ring 0\n",
    "blob.bin": bytes((i * 7 + i // 251) % 256 for i in range(200 * 1024)),
    "sub/index.html": b"<h1>sub</h1>\n",
    "with space.txt": b"spaced out\n",
    "style.css": b"body{}\n",
    "app.js": b"let x = 1;\n",
    "data.json": b'{"a": 1}\n',
    "image.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    "pic.JPG": b"\xff\xd8\xff" + bytes(32),
    "logo.svg": b"<svg/>\n",
    "README": b"no extension\n",
    "big.bin": bytes(range(256)) * (15 * 4096),  # 15 MiB, under the bound
    "huge.bin": bytes(16 * 1024 * 1024 + 1),  # over it: 500
}
TYPES = {
    "empty.txt": "text/plain; charset=utf-8",
    "hello.txt": "text/plain; charset=utf-8",
    "blob.bin": "application/octet-stream",
    "sub/": "text/html; charset=utf-8",
    "with%20space.txt": "text/plain; charset=utf-8",
    "style.css": "text/css",
    "app.js": "text/javascript",
    "data.json": "application/json",
    "image.png": "image/png",
    "pic.JPG": "image/jpeg",
    "logo.svg": "image/svg+xml",
    "README": "application/octet-stream",
}
CONTENT = {  # request path -> file
    "sub/": "sub/index.html",
    "with%20space.txt": "with space.txt",
}


class Tally:
    """What the server should have answered so far."""

    def __init__(self):
        self.requests = 0
        self.bytes = 0

    def add(self, body_bytes):
        self.requests += 1
        self.bytes += body_bytes


def error_body(status, reason):
    return ("%d %s\n" % (status, reason)).encode()


def send_and_read_to_close(port, data):
    """Sends raw bytes on a new connection; all the server sends until it
    closes (every read bounded by the socket timeout)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        got = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return got
            got += chunk


def raw_exchange(port, data, tally, expect_status):
    """Sends raw bytes, reads until the server closes; returns (head, body)."""
    got = send_and_read_to_close(port, data)
    head, _, body = got.partition(b"\r\n\r\n")
    status = head.split(b"\r\n")[0]
    assert status.startswith(b"HTTP/1.1 %d " % expect_status), (data[:60], got)
    assert b"Connection: close" in head, head
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    assert len(body) == length, (length, body)
    tally.add(len(body))
    return head, body


def check_files(port, tally):
    """Every file, byte for byte, on one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.connect()
    sock = conn.sock
    for path, ctype in TYPES.items():
        want = FILES[CONTENT.get(path, path)]
        for query in ("", "?x=1&y=%2e%2e"):
            conn.request("GET", "/" + path + query)
            r = conn.getresponse()
            body = r.read()
            assert r.status == 200, (path, r.status)
            assert body == want, path
            assert r.getheader("Content-Length") == str(len(want)), path
            assert r.getheader("Content-Type") == ctype, (path, ctype)
            assert not r.will_close, path
            tally.add(len(body))
    # HEAD: the same headers, no body.
    conn.request("HEAD", "/blob.bin")
    r = conn.getresponse()
    assert r.status == 200 and r.read() == b""
    assert r.getheader("Content-Length") == str(len(FILES["blob.bin"]))
    tally.add(0)
    assert conn.sock is sock, "the connection was not kept alive"
    # Errors that keep the connection: 404, 403, 405 without a body, 301.
    cases = [
        ("GET", "/missing.txt", 404, "Not Found"),
        ("GET", "/../etc/passwd", 403, "Forbidden"),
        ("GET", "/%2e%2e/etc/passwd", 403, "Forbidden"),
        ("GET", "/sub/%2E%2E/%2e%2e/etc/passwd", 403, "Forbidden"),
        ("GET", "/..%2fetc/passwd", 403, "Forbidden"),
        ("GET", "/sub/..", 403, "Forbidden"),
        ("GET", "/a%00b", 403, "Forbidden"),
        ("GET", "/a%5c..%5cb", 403, "Forbidden"),
        ("GET", "/bad%zzescape", 400, "Bad Request"),
        ("DELETE", "/hello.txt", 405, "Method Not Allowed"),
        ("GET", "/sub", 301, "Moved Permanently"),
        ("GET", "/huge.bin", 500, "Internal Server Error"),
    ]
    for method, path, status, reason in cases:
        conn.request(method, path)
        r = conn.getresponse()
        body = r.read()
        assert r.status == status, (path, r.status)
        assert body == error_body(status, reason), (path, body)
        if status == 405:
            assert r.getheader("Allow") == "GET, HEAD"
        if status == 301:
            assert r.getheader("Location") == "/sub/"
        tally.add(len(body))
    assert conn.sock is sock, "an error response closed the connection"
    conn.close()

    # POST with a body: 405, and the connection closes (the body is unread).
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/hello.txt", body=b"x=1")
    r = conn.getresponse()
    body = r.read()
    assert r.status == 405 and r.getheader("Allow") == "GET, HEAD"
    assert r.will_close
    tally.add(len(body))
    conn.close()


def check_protocol_edges(port, tally):
    def get(line, extra=b""):
        return b"GET " + line + b" HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n"

    raw_exchange(port, b"GARBAGE\r\n\r\n", tally, 400)
    raw_exchange(port, b"GET /hello.txt  HTTP/1.1\r\n\r\n", tally, 400)
    raw_exchange(port, b"GET /hello.txt HTTP/1.1\r\nNoColon\r\n\r\n",
                 tally, 400)
    raw_exchange(port, b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", tally, 505)
    raw_exchange(port, get(b"/", b"X-Big: " + b"a" * 10000 + b"\r\n"),
                 tally, 431)
    raw_exchange(port, get(b"/" + b"a" * 3000), tally, 414)
    raw_exchange(port, get(b"/" + b"a" * 10000), tally, 414)
    # HTTP/1.0 closes by default; Connection: close is honoured in 1.1.
    _, body = raw_exchange(port, b"GET /hello.txt HTTP/1.0\r\n\r\n", tally,
                           200)
    assert body == FILES["hello.txt"]
    raw_exchange(port, get(b"/hello.txt", b"Connection: close\r\n"), tally,
                 200)
    # Pipelining: three requests in one write, answered in order; the last
    # one asks to close.
    got = send_and_read_to_close(
        port, get(b"/hello.txt") + get(b"/missing") +
        get(b"/app.js", b"Connection: close\r\n"))
    assert got.count(b"HTTP/1.1 ") == 3, got
    assert got.index(b"200 OK") < got.index(b"404 Not") < got.rindex(b"200 OK")
    assert got.endswith(FILES["app.js"]), got
    tally.add(len(FILES["hello.txt"]))
    tally.add(len(error_body(404, "Not Found")))
    tally.add(len(FILES["app.js"]))


def check_silent_client(port, tally):
    """A client that sends nothing is dropped after the timeout, then the
    next one is served."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        start = time.monotonic()
        assert s.recv(1) == b""
        waited = time.monotonic() - start
    assert TIMEOUT * 0.5 <= waited < TIMEOUT + 5, waited
    # A client that starts a request and stalls is dropped too.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost:")
        assert s.recv(1) == b""
    raw_exchange(port, b"GET /hello.txt HTTP/1.0\r\n\r\n", tally, 200)


def check_busybox(port, tally):
    """busybox wget (what the VM has) sends HTTP/1.1 with Connection: close."""
    busybox = shutil.which("busybox")
    if busybox is None:
        print("note: no busybox, wget check skipped")
        return
    for path, name in (("/hello.txt", "hello.txt"),
                       ("/with%20space.txt", "with space.txt"),
                       ("/blob.bin", "blob.bin"), ("/sub/", "sub/index.html")):
        out = subprocess.run(
            [busybox, "wget", "-q", "-O", "-",
             "http://127.0.0.1:%d%s" % (port, path)],
            capture_output=True, timeout=30)
        assert out.returncode == 0, out.stderr
        assert out.stdout == FILES[name], path
        tally.add(len(FILES[name]))


def check_client_gone(port, tally):
    """A client that asks for a large file and closes at once: writing to it
    fails (SIGPIPE is ignored, as the program's header asks; by default it
    would end the server) and the server goes on. Returns the body bytes that
    may have been counted."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
    tally.add(0)
    raw_exchange(port, b"GET /hello.txt HTTP/1.0\r\n\r\n", tally, 200)
    return len(FILES["big.bin"])


def main():
    app = sys.argv[1]
    root = tempfile.mkdtemp(prefix="httpd-test-")
    server = None
    try:
        for name, data in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(root, name)),
                        exist_ok=True)
            with open(os.path.join(root, name), "wb") as f:
                f.write(data)
        # restore_signals=False: the server inherits Python's SIG_IGN for
        # SIGPIPE, as the program's header asks.
        server = subprocess.Popen(
            [app, "serve", "--root", root, "--requests", str(REQUESTS),
             "--timeout", str(TIMEOUT)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            restore_signals=False)
        hello = server.stdout.readline()
        assert hello.startswith("listening "), hello
        port = int(hello.split()[1])
        assert 0 < port < 65536

        tally = Tally()
        check_files(port, tally)
        check_protocol_edges(port, tally)
        check_silent_client(port, tally)
        check_busybox(port, tally)
        maybe = check_client_gone(port, tally)
        # Top up to REQUESTS: the last response must say Connection: close
        # and the server must then exit by itself.
        assert tally.requests < REQUESTS, tally.requests
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while tally.requests < REQUESTS:
            conn.request("GET", "/hello.txt")
            r = conn.getresponse()
            assert r.read() == FILES["hello.txt"]
            tally.add(len(FILES["hello.txt"]))
            if tally.requests < REQUESTS:
                assert not r.will_close
        assert r.will_close, "the last response did not close"
        conn.close()

        out, err = server.communicate(timeout=30)
        assert server.returncode == 0, (server.returncode, err)
        m = re.fullmatch(r"served (\d+) requests (\d+) bytes\n", out)
        assert m, out
        assert int(m.group(1)) == REQUESTS, out
        # The abandoned blob counts if the kernel took it before the RST.
        assert int(m.group(2)) in (tally.bytes, tally.bytes + maybe), (
            out, tally.bytes)
        log = err.splitlines()
        assert len(log) == REQUESTS, len(log)
        assert "GET /%2e%2e/etc/passwd 403 14" in log, log
        print("ok: %d requests, %s" % (REQUESTS, out), end="")
        return 0
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
