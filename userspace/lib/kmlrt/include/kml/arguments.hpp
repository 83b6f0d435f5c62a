// kml runtime: main()'s arguments as standard string views, for programs
// written on the C++ standard library.
//
// `argv[i]` and `argv + argc` are arithmetic on a raw pointer, which the
// subset forbids (rule R006), and `std::span(argv, argc)` hands the library
// a pointer and a length nobody checked (rule R018). kml::arguments() reads
// argv once, here, into a vector the program indexes with the library's
// checked operator[] (-D_GLIBCXX_ASSERTIONS):
//
//   int main(int argc, char **argv) {
//     const std::vector<std::string_view> args = kml::arguments(argc, argv);
//     for (std::string_view arg : args) use(arg);
//
// kml/args.hpp is the same for programs on the kml runtime's own types.
//
// Unsafe operations in this file: indexing argv below argc (the C and POSIX
// standards guarantee argv[0..argc) are valid) and measuring each argument
// up to its NUL (each is a C string). The views stay valid for the whole
// run: the arguments live on the initial stack until the process exits.
#pragma once

#include <string_view>
#include <vector>

namespace kml {

inline std::vector<std::string_view> arguments(int argc, char **argv) {
  std::vector<std::string_view> list;
  if (argc <= 0 || argv == nullptr)
    return list;
  list.reserve(static_cast<std::size_t>(argc));
  for (int i = 0; i < argc; ++i)
    list.emplace_back(argv[i] != nullptr ? argv[i] : "");
  return list;
}

} // namespace kml
