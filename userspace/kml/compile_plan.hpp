#pragma once
// The compile commands of one `kml build`: for each source the compiler of
// its language, kml-verify's required flags, the runtime headers and the
// user's extra flags, writing an object into the workspace. Without a
// database the command is made from those alone; with one (-p DIR) the
// project's command for the source comes first.

#include "compile_database.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kml {

enum class Language { C, Cxx };

// By extension: .c is C; .cpp, .cc, .cxx, .C are C++; nullopt otherwise.
std::optional<Language> languageOf(const std::filesystem::path &source);

// What every translation unit is compiled with, after its own command.
struct CommonFlags {
  std::vector<std::string> required;           // kml-verify --required-flags
  std::vector<std::filesystem::path> includes; // the runtime header roots
  std::vector<std::string> extra;              // after `--`
};

struct Compilers {
  std::filesystem::path c;   // clang-19, when a C source is built
  std::filesystem::path cxx; // clang++-19, when a C++ source is built
  [[nodiscard]] const std::filesystem::path &of(Language language) const {
    return language == Language::C ? c : cxx;
  }
};

struct PlannedUnit {
  CompileCommand command;
  std::filesystem::path object;
};

class CompilePlan {
public:
  // Objects go into objectDir; database is the project's, if any.
  CompilePlan(Compilers compilers, CommonFlags flags,
              std::filesystem::path objectDir,
              std::optional<CompileDatabase> database);

  // Adds the command of source (a C or C++ file). Throws
  // CompileDatabaseError when the database has no command for it.
  void add(const std::filesystem::path &source);

  [[nodiscard]] const std::vector<PlannedUnit> &units() const { return units_; }
  [[nodiscard]] std::vector<CompileCommand> commands() const;

private:
  [[nodiscard]] CompileCommand fromFlags(const std::filesystem::path &source,
                                         Language language) const;
  [[nodiscard]] CompileCommand fromDatabase(const std::filesystem::path &source,
                                            Language language) const;

  Compilers compilers_;
  CommonFlags flags_;
  std::filesystem::path objectDir_;
  std::optional<CompileDatabase> database_;
  std::vector<PlannedUnit> units_;
};

} // namespace kml
