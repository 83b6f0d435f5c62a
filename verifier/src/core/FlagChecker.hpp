// KML-R014: the compile flags that back the static rules with run-time checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kml::verify {

/// The flags every TU must be built with, in the order --required-flags
/// prints them.
const std::vector<std::string> &requiredFlags();

/// Flags that configure the C++ standard library's own checks
/// (-D_GLIBCXX_ASSERTIONS). --required-flags prints them after
/// requiredFlags(); KML-R014 checks them from the AST of a TU that includes
/// the library (a C TU needs none), not from the command line.
const std::vector<std::string> &requiredLibraryFlags();

/// Returns the required flags that \p commandLine (the compiler invocation,
/// argv[0] included or not) lacks, honouring "last flag wins": a later
/// -mred-zone cancels an earlier -mno-red-zone.
std::vector<std::string>
missingRequiredFlags(const std::vector<std::string> &commandLine);

} // namespace kml::verify
