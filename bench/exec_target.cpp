// kml-exec-target: the program kml-exec-bench execs. It does nothing but
// exit, so that an exec's cost is the kernel's (and the gate's): with no
// argument it exits at once; with "hold" it writes one byte to its
// standard output and waits for its standard input to close, so that a
// running instance holds its file (docs/gate.md:
// held files and the digest cache).
//
// KML_PAD_BYTES of initialised read-only data make the file as large as
// the benchmark needs (1 MiB, 16 MiB): the gate hashes every byte, exec
// itself reads none of them.

#include <string_view>
#include <unistd.h>

#ifndef KML_PAD_BYTES
#define KML_PAD_BYTES (1 << 20)
#endif

namespace {

// Volatile and used: the compiler keeps every byte in the file (a plain
// array: its initialised bytes are the file's size).
// NOLINTNEXTLINE(modernize-avoid-c-arrays)
[[gnu::used]] const volatile unsigned char kPad[KML_PAD_BYTES] = {1};

} // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::string_view(argv[1]) == "hold") {
    char byte = 'r';
    if (write(1, &byte, 1) != 1) { // started: the file is held now
      return 1;
    }
    while (read(0, &byte, 1) > 0) {
    }
  }
  return kPad[0] == 1 ? 0 : 1;
}
