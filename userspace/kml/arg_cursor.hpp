#pragma once
// Walking a subcommand's arguments: flags, options with a value (both
// "--name VALUE" and "--name=VALUE") and positional arguments. A missing
// value throws UsageProblem, which the command turns into its usage error.

#include "command.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kml {

struct UsageProblem {
  std::string message;
};

class ArgCursor {
public:
  explicit ArgCursor(Args args) : args_(args) {}

  [[nodiscard]] bool done() const { return next_ >= args_.size(); }
  [[nodiscard]] std::string_view current() const { return args_[next_]; }

  // Takes the current argument if it is the flag name.
  bool takeFlag(std::string_view name);
  // Takes the current argument (and the next one) if it is option name
  // with a value; throws UsageProblem when the value is missing.
  std::optional<std::string> takeValue(std::string_view name);
  // Takes the current argument as a positional one; throws UsageProblem
  // for an unknown option.
  std::string takePositional();
  // Takes every argument left, as they are (what follows `--`).
  std::vector<std::string> takeRest();

private:
  Args args_;
  std::size_t next_ = 0;
};

} // namespace kml
