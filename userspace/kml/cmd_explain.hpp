#pragma once
// `kml explain` (cmd_explain.cpp), listed in commands.cpp.

#include "command.hpp"

namespace kml {

int runExplain(Args args);

} // namespace kml
