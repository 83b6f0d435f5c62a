// One rule violation, independent of Clang so reporters and tests need no AST.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kml::verify {

/// A mechanical edit that fixes the finding (clang-tidy style fix-it).
struct FixIt {
  unsigned line = 0;
  unsigned column = 0;       // 1-based, where the edit starts
  unsigned removeLength = 0; // characters replaced
  std::string insert;        // text put in their place
};

struct Finding {
  std::string ruleId;
  std::string file;    // source file, or the ELF for binary findings
  unsigned line = 0;   // 0: the finding is about the whole file
  unsigned column = 0; // 1-based
  unsigned length = 1; // characters highlighted on sourceLine
  std::string message;
  std::string sourceLine; // text of `line`, for the caret display
  std::string suggestion; // human advice ("use kml::span<T>")
  std::optional<FixIt> fixIt;
  std::optional<std::uint64_t> address; // binary findings
  std::string symbol;                   // binary findings
};

} // namespace kml::verify
