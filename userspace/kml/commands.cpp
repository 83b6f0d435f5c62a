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
int runKey(Args args);     // cmd_key.cpp
int runSign(Args args);    // cmd_sign.cpp
int runVerify(Args args);  // cmd_verify.cpp
int runApprove(Args args); // cmd_approve.cpp
int runRun(Args args);     // cmd_run.cpp
#ifdef KML_HAVE_REWRITE
int runRewrite(Args args); // cmd_rewrite.cpp
int runBuild(Args args);   // cmd_build.cpp
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
      Command{"inspect",
              "inspect FILE [--json]\n  inspect [--list] LIST [--json]",
              "show whether FILE is marked, its version, flags and location, "
              "and the signed manifest appended to it (not checked); or an "
              "approval list's entries and generation",
              runInspect},
      Command{"key",
              "key new [NAME] [--dir DIR] | key list [--dir DIR] | key enroll "
              "NAME|CERT.pem [--keyring KEYRING] [--dir DIR]",
              "make a development signing key (RSA-2048, self-signed), list "
              "them, or add a certificate to a kernel keyring (.kml by "
              "default)",
              runKey},
      Command{"sign",
              "sign FILE [-o OUT] [--key-name NAME | --key KEY.pem --cert "
              "CERT.pem] [--key-dir DIR] [--assurance "
              "trusted|validated|verified] "
              "[--generation N] [--attestation FILE.json] [--bypass]\n"
              "  sign --list OUT FILE... [--interpreter FILE]... [--assurance "
              "trusted] [--generation N] [--bypass] [the key options]",
              "append a signed manifest approving FILE for ring 0 (replacing "
              "an old one); validated runs kml-verify --binary, verified "
              "needs its attestation. --list: make OUT, a signed approval "
              "list of unmodified ELF programs, dynamic loaders and libraries "
              "(whole-file SHA-256, role from the ELF headers, trusted only)",
              runSign},
      Command{"verify",
              "verify FILE [--cert CERT.pem]... [--key-dir DIR] "
              "[--min-assurance A] [--min-generation N]\n"
              "  verify --list LIST [FILE...] [the same options]",
              "check FILE's signed manifest as kml.ko does: allowed, or "
              "refused with the kernel's reason. --list: check an approval "
              "list as kml.ko loads it, then each FILE against it",
              runVerify},
      Command{"approve", "approve LIST [--sysfs-dir DIR] | approve --list",
              "load a signed approval list into the running kernel (writes "
              "its absolute path to /sys/kernel/kml/approvals), or show the "
              "loaded ones",
              runApprove},
      Command{"run", "run [--ring0] [--kml-dir DIR] [--] PROGRAM [ARGS...]",
              "start an unmodified dynamic program through a dynamic loader "
              "with kml's rewritten libc (DIR, default /usr/lib/kml or "
              "$KML_DIR) first in its library path; --ring0 uses kml's "
              "signed loader, so the program runs at CPL 0 and every file "
              "it maps executable must be approved",
              runRun},
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
      Command{"build",
              "build SRC... -o OUT [--bypass] [-p DIR] [--key-name NAME | "
              "--key KEY.pem --cert CERT.pem] [--key-dir DIR] [-- "
              "EXTRA-COMPILER-FLAGS...]",
              "compile C/C++ sources with kml-verify's flags, check them, "
              "link static, rewrite, validate and sign the program as "
              "verified; writes OUT only if every step passes",
              runBuild},
#endif
  };
  return kCommands;
}

} // namespace kml
