#pragma once
// A program's functions by address, from its ELF symbol table, so that
// `kml explain --trace` can say "getpid+0x7" for an address it saw. An
// address in the stubs `kml rewrite` added (.kml.text) is named as such.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>

namespace kml {

class FunctionSymbols {
public:
  // The functions of an ELF64 file's .symtab (none when stripped or not
  // an ELF file: names are a help, not a requirement).
  static FunctionSymbols fromFile(const std::filesystem::path &file);
  static FunctionSymbols fromBytes(std::span<const std::byte> bytes);

  // "getpid+0x7", "a kml stub" in .kml.text, or "" when unknown. Only an
  // address the file maps where it says (a fixed-address executable's
  // PT_LOADs) gets a name: a position-independent file is loaded at an
  // address the trace does not tell, and another file's code (ld.so,
  // libc, when FILE is a launcher) is not FILE's.
  [[nodiscard]] std::string describe(std::uint64_t address) const;

private:
  struct Function {
    std::uint64_t size = 0;
    std::string name;
  };
  std::map<std::uint64_t, Function> byStart_;
  std::uint64_t stubsStart_ = 0; // .kml.text, if the file has one
  std::uint64_t stubsEnd_ = 0;
  std::uint64_t mappedStart_ = 0; // the PT_LOADs' span, for ET_EXEC
  std::uint64_t mappedEnd_ = 0;
};

} // namespace kml
