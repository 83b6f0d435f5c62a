// kml explain: FILE, what each system call of a program becomes
// (cmd_explain.cpp, where the rewriter is built), or --trace -- CMD, what
// each call of a running command did (explain_trace.cpp, in every kml,
// the VM's included: the trace must be read where the kernel runs).

#include "explain_trace.hpp"
#include "subcommands.hpp"

#ifdef KML_HAVE_REWRITE
#include "cmd_explain.hpp"
#else
#include <iostream>
#endif

namespace kml {

int runExplain(Args args) {
  if (!args.empty() && args.front() == "--trace") {
    return runExplainTrace(args.subspan(1));
  }
#ifdef KML_HAVE_REWRITE
  return runExplainFile(args);
#else
  std::cerr << "kml explain: FILE needs the rewriter's analysis, which this "
               "kml is built without (the VM's kml: no static Zydis); run "
               "`kml explain FILE` on the host. `kml explain --trace -- CMD` "
               "works here.\n";
  return kExitUnavailable;
#endif
}

} // namespace kml
