#pragma once
// compile_commands.json, the compilation database of Clang tools: reading
// the command of a source from one (`kml build -p DIR`), and writing one
// for the commands `kml build` runs, so that kml-verify checks each
// translation unit with exactly the arguments it is compiled with.

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kml {

// An entry: the directory the command runs in, the source, and the
// command's arguments (the compiler first).
struct CompileCommand {
  std::filesystem::path directory;
  std::filesystem::path file;
  std::vector<std::string> arguments;
};

// A database that cannot be read, or is not one.
class CompileDatabaseError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class CompileDatabase {
public:
  // DIR/compile_commands.json. Throws CompileDatabaseError.
  static CompileDatabase load(const std::filesystem::path &dir);
  // The entries of JSON text (where: the file, for errors). Throws
  // CompileDatabaseError.
  static CompileDatabase parse(std::string_view json, std::string_view where);

  // The first entry whose file is source (both resolved to absolute paths,
  // symlinks followed), or nullopt.
  [[nodiscard]] std::optional<CompileCommand>
  find(const std::filesystem::path &source) const;

private:
  std::vector<CompileCommand> entries_;
};

// A "command" string split into arguments as a POSIX shell would (quotes
// and backslashes), as Clang's JSONCompilationDatabase does.
std::vector<std::string> splitCommandLine(std::string_view command);

// The entries as compile_commands.json text, with "arguments" arrays.
std::string compileDatabaseJson(const std::vector<CompileCommand> &commands);

} // namespace kml
