// kml runtime: checked access to main()'s arguments.
//
// `argv[i]` is indexing through a raw pointer, which the subset forbids
// (rule R006). kml::args wraps argc/argv once, here, and hands out each
// argument as a kml::string_view:
//
//   int main(int argc, char **argv) {
//     kml::args args(argc, argv);
//     for (size_t i = 1; i < args.size(); ++i) use(args[i]);
//
// Unsafe operations in this file: building a span over argv (the C and
// POSIX standards guarantee argv[0..argc) are valid and argv[argc] is null)
// and measuring each argument up to its NUL (each is a C string).
#pragma once

#include "kml/span.hpp"
#include "kml/string.hpp"

namespace kml {

class args {
public:
  args(int argc, char **argv) noexcept
      : argv_(span<char *const>::unchecked(argv, argc > 0 && argv != nullptr
                                                     ? static_cast<size_t>(argc)
                                                     : 0)) {}

  size_t size() const noexcept { return argv_.size(); }

  // Argument `index`; traps when index >= size().
  string_view operator[](size_t index) const noexcept {
    const char *text = argv_[index];
    size_t length = 0;
    while (text[length] != '\0') // a C string: stops at its terminator
      ++length;
    return string_view(span<const char>::unchecked(text, length));
  }

private:
  span<char *const> argv_;
};

} // namespace kml
