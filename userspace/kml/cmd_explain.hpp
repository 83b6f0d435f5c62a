#pragma once
// `kml explain FILE` (cmd_explain.cpp), where the rewriter is built;
// explain_command.cpp's runExplain() hands it every use but --trace.

#include "command.hpp"

namespace kml {

int runExplainFile(Args args);

} // namespace kml
