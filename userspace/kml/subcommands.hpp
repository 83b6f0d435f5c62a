#pragma once
// The run function of each `kml` subcommand, defined in its cmd_*.cpp and
// listed in commands.cpp's table. One declaration for both sides, so a
// definition and the table cannot disagree on its signature (the compiler
// checks the definition against this), and a run function is not mistaken
// for one its file alone uses.

#include "command.hpp"

namespace kml {

// Add a subcommand: declare its run function here, and write its help
// and table entry in commands.cpp.
int runMark(Args args);    // cmd_mark.cpp
int runEnable(Args args);  // cmd_enable.cpp
int runDisable(Args args); // cmd_enable.cpp
int runBypass(Args args);  // cmd_bypass.cpp
int runInspect(Args args); // cmd_inspect.cpp
int runStats(Args args);   // cmd_stats.cpp
int runKey(Args args);     // cmd_key.cpp
int runSign(Args args);    // cmd_sign.cpp
int runVerify(Args args);  // cmd_verify.cpp
int runApprove(Args args); // cmd_approve.cpp
int runRun(Args args);     // cmd_run.cpp
int runExplain(Args args); // explain_command.cpp: FILE, or --trace
#ifdef KML_HAVE_REWRITE
int runRewrite(Args args); // cmd_rewrite.cpp
int runBuild(Args args);   // cmd_build.cpp
#endif

} // namespace kml
