// Output formats for findings: clang-tidy style text and SARIF 2.1.0.
#pragma once

#include "core/Finding.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace kml::verify {

/// `file:line:col: error: message [KML-R00x]`, the source line, a caret under
/// the range, then the fix-it and suggestion as notes.
void writeText(std::ostream &os, const std::vector<Finding> &findings);

/// A complete SARIF 2.1.0 log with one run; every rule of the rule table is
/// listed in tool.driver.rules (plus any binary-validator rule IDs seen).
/// \p completed is false when some input could not be checked (parse
/// errors): the run's invocation then says so.
std::string sarifLog(const std::vector<Finding> &findings,
                     bool completed = true);

} // namespace kml::verify
