#include "command.hpp"

#include <array>

namespace kml {

// Add a subcommand: declare its run function here and list it below.
int runMark(Args args);    // cmd_mark.cpp
int runEnable(Args args);  // cmd_enable.cpp
int runDisable(Args args); // cmd_enable.cpp
int runBypass(Args args);  // cmd_bypass.cpp
int runInspect(Args args); // cmd_inspect.cpp
int runStats(Args args);   // cmd_stats.cpp
#ifdef KML_HAVE_REWRITE
int runRewrite(Args args); // cmd_rewrite.cpp
#endif

std::span<const Command> allCommands() {
  static constexpr std::array kCommands{
      Command{"mark", "mark FILE [-o OUT] [--disable] [--bypass]",
              "add the KML marker to a static x86-64 executable (or update "
              "it); enabled unless --disable, --bypass also sets the bypass "
              "flag",
              runMark},
      Command{"enable", "enable FILE",
              "set the enable flag of an existing marker", runEnable},
      Command{"disable", "disable FILE",
              "clear the enable flag of an existing marker", runDisable},
      Command{"bypass", "bypass on|off FILE",
              "set or clear the bypass flag of an existing marker (getpid, "
              "getppid, gettid answered by the kernel's bypass entry)",
              runBypass},
      Command{"inspect", "inspect FILE [--json]",
              "show whether FILE is marked, its version, flags and location",
              runInspect},
      Command{"stats", "stats [PID | [--require-direct=PCT] -- CMD [ARGS...]]",
              "how ring-0 programs' system calls reached the kernel (direct, "
              "bypass, slow `syscall`): all programs, one PID, or those "
              "exec'd while CMD runs (by anyone: others' programs exec'd "
              "meanwhile count too); --require-direct fails below PCT%",
              runStats},
#ifdef KML_HAVE_REWRITE
      Command{"rewrite", "rewrite FILE -o OUT [--json] [--dry-run] [--quiet]",
              "rewrite the syscall sites of a static x86-64 executable into "
              "direct kernel entries at CPL 0, and mark it enabled",
              runRewrite},
#endif
  };
  return kCommands;
}

} // namespace kml
