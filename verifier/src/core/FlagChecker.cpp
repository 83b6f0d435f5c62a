#include "core/FlagChecker.hpp"

#include <algorithm>

namespace kml::verify {
namespace {

std::vector<std::string_view> splitList(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    out.push_back(list.substr(0, comma));
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

bool has(const std::vector<std::string_view> &items,
         std::initializer_list<std::string_view> names) {
  return std::ranges::any_of(items, [&](std::string_view i) {
    return std::ranges::find(names, i) != names.end();
  });
}

/// The state each flag family ends in after scanning the command line.
struct FlagState {
  bool noRedZone = false;
  bool arrayBounds = false; // -fsanitize=bounds is array-bounds+local-bounds
  bool localBounds = false;
  bool trapBounds = false;
  bool autoVarInitZero = false;
  bool stackProtectorStrong = false;
  bool cfProtectionFull = false;

  void apply(std::string_view arg) {
    auto value = [&](std::string_view prefix, std::string_view &out) {
      if (!arg.starts_with(prefix))
        return false;
      out = arg.substr(prefix.size());
      return true;
    };
    std::string_view v;
    if (arg == "-mno-red-zone")
      noRedZone = true;
    else if (arg == "-mred-zone")
      noRedZone = false;
    else if (value("-fsanitize=", v)) {
      auto items = splitList(v);
      if (has(items, {"bounds", "array-bounds"}))
        arrayBounds = true;
      if (has(items, {"bounds", "local-bounds"}))
        localBounds = true;
    } else if (value("-fno-sanitize=", v)) {
      auto items = splitList(v);
      if (has(items, {"bounds", "array-bounds", "all", "undefined"}))
        arrayBounds = false;
      if (has(items, {"bounds", "local-bounds", "all"}))
        localBounds = false;
    } else if (arg == "-fsanitize-trap" ||
               arg == "-fsanitize-undefined-trap-on-error")
      trapBounds = true;
    else if (value("-fsanitize-trap=", v)) {
      if (has(splitList(v), {"bounds", "all", "undefined"}))
        trapBounds = true;
    } else if (arg == "-fno-sanitize-trap")
      trapBounds = false;
    else if (value("-fno-sanitize-trap=", v)) {
      if (has(splitList(v),
              {"bounds", "all", "undefined", "array-bounds", "local-bounds"}))
        trapBounds = false;
    } else if (value("-ftrivial-auto-var-init=", v))
      autoVarInitZero = v == "zero";
    else if (arg == "-fstack-protector-strong" ||
             arg == "-fstack-protector-all")
      stackProtectorStrong = true;
    else if (arg == "-fstack-protector" || arg == "-fno-stack-protector")
      stackProtectorStrong = false;
    else if (arg == "-fcf-protection")
      cfProtectionFull = true; // bare flag means "full"
    else if (value("-fcf-protection=", v))
      cfProtectionFull = v == "full";
  }
};

} // namespace

const std::vector<std::string> &requiredFlags() {
  static const std::vector<std::string> flags{"-mno-red-zone",
                                              "-fsanitize=bounds",
                                              "-fsanitize-trap=bounds",
                                              "-ftrivial-auto-var-init=zero",
                                              "-fstack-protector-strong",
                                              "-fcf-protection=full"};
  return flags;
}

const std::vector<std::string> &requiredLibraryFlags() {
  static const std::vector<std::string> flags{"-D_GLIBCXX_ASSERTIONS"};
  return flags;
}

std::vector<std::string>
missingRequiredFlags(const std::vector<std::string> &commandLine) {
  FlagState s;
  for (const std::string &arg : commandLine)
    s.apply(arg);
  std::vector<std::string> missing;
  const auto &req = requiredFlags();
  if (!s.noRedZone)
    missing.push_back(req[0]);
  if (!s.arrayBounds || !s.localBounds)
    missing.push_back(req[1]);
  if (!s.trapBounds)
    missing.push_back(req[2]);
  if (!s.autoVarInitZero)
    missing.push_back(req[3]);
  if (!s.stackProtectorStrong)
    missing.push_back(req[4]);
  if (!s.cfProtectionFull)
    missing.push_back(req[5]);
  return missing;
}

} // namespace kml::verify
