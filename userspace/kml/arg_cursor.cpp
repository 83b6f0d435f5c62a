#include "arg_cursor.hpp"

namespace kml {

bool ArgCursor::takeFlag(std::string_view name) {
  if (done() || current() != name) {
    return false;
  }
  ++next_;
  return true;
}

std::optional<std::string> ArgCursor::takeValue(std::string_view name) {
  if (done()) {
    return std::nullopt;
  }
  const std::string_view arg = current();
  if (arg == name) {
    if (next_ + 1 >= args_.size()) {
      throw UsageProblem{std::string(name) + " needs a value"};
    }
    next_ += 2;
    return std::string(args_[next_ - 1]);
  }
  if (arg.size() > name.size() && arg.starts_with(name) &&
      arg[name.size()] == '=') {
    ++next_;
    return std::string(arg.substr(name.size() + 1));
  }
  return std::nullopt;
}

std::string ArgCursor::takePositional() {
  const std::string_view arg = current();
  if (arg.starts_with("-") && arg != "-") {
    throw UsageProblem{"unknown option '" + std::string(arg) + "'"};
  }
  ++next_;
  return std::string(arg);
}

std::vector<std::string> ArgCursor::takeRest() {
  std::vector<std::string> rest(
      args_.begin() + static_cast<std::ptrdiff_t>(next_), args_.end());
  next_ = args_.size();
  return rest;
}

} // namespace kml
