#include "command.hpp"
#include "subcommands.hpp"

#include <array>

namespace kml {

// Add a subcommand: declare its run function in subcommands.hpp, write its
// help below and list it in the table at the end. The help is the one text
// that `kml CMD --help`, `kml help CMD` and the man page kml-CMD(1) show.

namespace {

// The exit codes of the marker commands (marker_cli.cpp, exitCodeFor).
constexpr std::array kMarkerExits{
    ExitHelp{kExitOk, "done, or FILE was already in the asked state"},
    ExitHelp{kExitFailure,
             "FILE is not a static x86-64 executable, has no marker to "
             "change, or has a newer marker than this kml knows"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "FILE is not ELF, or is malformed"},
    ExitHelp{kExitNoInput, "FILE cannot be read"},
    ExitHelp{kExitIoErr, "the result could not be written"},
};

// --- mark ---
constexpr std::array kMarkOptions{
    OptionHelp{"FILE", "The program to mark. It is changed in place (a new "
                       "file renamed over it) unless -o names another."},
    OptionHelp{"-o OUT, --output OUT",
               "Write the marked program to OUT and leave FILE as it is."},
    OptionHelp{"--disable",
               "Mark with the enable flag clear: the program keeps running "
               "at ring 3 until `kml enable`."},
    OptionHelp{"--enable", "Set the enable flag (the default)."},
    OptionHelp{"--bypass",
               "Also set the bypass flag: getpid, getppid and gettid are "
               "answered by the kernel's bypass entry. Without it an "
               "existing marker keeps the bypass flag it has."},
};
constexpr std::array kMarkExamples{
    ExampleHelp{"kml mark hello -o hello.kml",
                "Write a marked, enabled copy of hello."},
    ExampleHelp{"kml mark --disable hello",
                "Mark hello in place, with the enable flag clear."},
};
constexpr CommandHelp kMarkHelp{
    "Adds the KML marker, an ELF note asking the kernel to start the "
    "program at CPL 0 (ring 0), to a static x86-64 executable, or updates "
    "the flags of the marker it has. The program's code is not changed: "
    "its system calls still go through the `syscall` instruction unless "
    "it is rewritten too (kml rewrite).\n\n"
    "A marked program runs at ring 0 only when kml.ko is loaded and its "
    "policy approves the program (kml sign, kml approve); elsewhere the "
    "marker is an ELF note like any other and the program runs as before.",
    kMarkOptions, kMarkerExits, kMarkExamples};

// --- enable, disable ---
constexpr std::array kFileOption{
    OptionHelp{"FILE", "A program that has a KML marker (kml mark). It is "
                       "changed in place, and only if its flag changes."},
};
constexpr std::array kEnableExamples{
    ExampleHelp{"kml enable ./hello", "Let hello run at ring 0 again."},
};
constexpr CommandHelp kEnableHelp{
    "Sets the enable flag of the KML marker FILE already has, changing "
    "nothing else in the file. With the flag set, kml.ko starts the "
    "program at ring 0 (if its policy approves it).",
    kFileOption, kMarkerExits, kEnableExamples};
constexpr std::array kDisableExamples{
    ExampleHelp{"kml disable ./hello",
                "Run hello at ring 3 from now on, marker kept."},
};
constexpr CommandHelp kDisableHelp{
    "Clears the enable flag of the KML marker FILE has, changing nothing "
    "else: the kernel runs the program at ring 3 as any other, and "
    "`kml enable` gives it back as it was (the bypass flag is kept). Use it to "
    "compare a program at ring 3 with itself at ring 0.",
    kFileOption, kMarkerExits, kDisableExamples};

// --- bypass ---
constexpr std::array kBypassOptions{
    OptionHelp{"on, off", "Set or clear the bypass flag."},
    OptionHelp{"FILE", "A program that has a KML marker; changed in place."},
};
constexpr std::array kBypassExamples{
    ExampleHelp{"kml bypass on ./bench",
                "Answer bench's getpid, getppid and gettid in the bypass "
                "entry."},
};
constexpr CommandHelp kBypassHelp{
    "Sets or clears the bypass flag of the KML marker FILE has. With it "
    "set, a ring-0 program's getpid, getppid and gettid are answered by "
    "the kernel's bypass entry, without the full system call path "
    "(docs/syscall-shim.md). The flag matters only while the enable flag "
    "is set, and only where the administrator allows it "
    "(/sys/kernel/kml/allow_bypass).",
    kBypassOptions, kMarkerExits, kBypassExamples};

// --- inspect ---
constexpr std::array kInspectOptions{
    OptionHelp{"FILE", "A program, loader or library; or an approval list "
                       "(recognised by its contents when it is not ELF)."},
    OptionHelp{"--list", "Read FILE as an approval list, whatever it is."},
    OptionHelp{"--json", "Print one JSON object instead of text, for tools."},
};
constexpr std::array kInspectExits{
    ExitHelp{kExitOk, "FILE was read and described (marked or not)"},
    ExitHelp{kExitFailure, "FILE is not an x86-64 program or library"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "FILE is not ELF, or is malformed"},
    ExitHelp{kExitNoInput, "FILE cannot be read"},
};
constexpr std::array kInspectExamples{
    ExampleHelp{"kml inspect ./hello", "Is hello marked, and signed?"},
    ExampleHelp{"kml inspect --json approvals.list",
                "An approval list's entries, as JSON."},
};
constexpr CommandHelp kInspectHelp{
    "Shows what kml left in a file: whether FILE has a KML marker, its "
    "version, flags and place in the file, and the signed manifest "
    "appended to it (key, assurance, generation). Nothing is checked: "
    "kml verify says whether the kernel would accept the signature.\n\n"
    "Given an approval list (kml sign --list), shows its generation and "
    "each entry: the file's SHA-256, its role and its name.",
    kInspectOptions, kInspectExits, kInspectExamples};

// --- key ---
constexpr std::array kKeyOptions{
    OptionHelp{"new [NAME]",
               "Make a development key NAME (default: \"default\"): an "
               "RSA-2048 private key and a self-signed certificate."},
    OptionHelp{"list", "List the keys in the directory, with each "
                       "certificate's subject, fingerprint and expiry."},
    OptionHelp{"enroll NAME|CERT.pem",
               "Add a certificate to a kernel keyring, so that kml.ko "
               "trusts what its key signs: a key's name, or a certificate "
               "file (a name with a slash, or ending in .pem or .der)."},
    OptionHelp{"--dir DIR",
               "The key directory (default $XDG_CONFIG_HOME/kml/keys, or "
               "~/.config/kml/keys)."},
    OptionHelp{"--keyring KEYRING",
               "The keyring enroll adds to (default .kml, kml.ko's)."},
};
constexpr std::array kKeyExits{
    ExitHelp{kExitOk, "done"},
    ExitHelp{kExitFailure,
             "the key could not be made, or the kernel refused the "
             "certificate"},
    ExitHelp{kExitUsage, "bad usage, or no key directory can be found"},
    ExitHelp{kExitDataErr, "a certificate in the directory is unreadable"},
};
constexpr std::array kKeyExamples{
    ExampleHelp{"kml key new", "Make the development key \"default\"."},
    ExampleHelp{"sudo kml key enroll default",
                "Let kml.ko trust what the key \"default\" signs, until "
                "the next boot."},
};
constexpr CommandHelp kKeyHelp{
    "Manages the development keys that kml sign uses, and tells the "
    "kernel to trust them. A development key is for a machine you own: a "
    "production kernel trusts keys built into it or enrolled through its "
    "own means (docs/gate.md).",
    kKeyOptions, kKeyExits, kKeyExamples};

// --- sign ---
constexpr std::array kSignOptions{
    OptionHelp{"FILE", "The program (or kml's loader or libc) to approve."},
    OptionHelp{"-o OUT, --output OUT",
               "Write the signed program to OUT; FILE is signed in place "
               "otherwise."},
    OptionHelp{"--key-name NAME",
               "Sign with the development key NAME (default: \"default\", "
               "made on first use)."},
    OptionHelp{"--key KEY.pem --cert CERT.pem",
               "Sign with this private key and certificate instead."},
    OptionHelp{"--key-dir DIR", "Where development keys are (see kml key)."},
    OptionHelp{"--assurance trusted|validated|verified",
               "What the signature vouches for: trusted (your word), "
               "validated (kml-verify --binary checked the machine code "
               "first) or verified (also checked from source: needs "
               "--attestation). Default trusted."},
    OptionHelp{"--generation N",
               "The signature's generation (default 1); the kernel can be "
               "told to refuse older ones."},
    OptionHelp{"--attestation FILE.json",
               "kml-verify's attestation of the source, for verified."},
    OptionHelp{"--bypass", "Approve the bypass entry too."},
    OptionHelp{"--list OUT FILE...",
               "Make OUT, a signed approval list of unmodified programs, "
               "loaders and libraries (whole-file SHA-256 and the role "
               "from the ELF headers; trusted only)."},
    OptionHelp{"--interpreter FILE",
               "With --list: approve FILE as a dynamic loader."},
};
constexpr std::array kSignExits{
    ExitHelp{kExitOk, "signed"},
    ExitHelp{kExitFailure,
             "the evidence was refused (the validator said no, the "
             "attestation does not match), or signing failed"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "FILE or a key is unreadable or malformed"},
};
constexpr std::array kSignExamples{
    ExampleHelp{"kml sign hello.kml",
                "Approve hello.kml for ring 0 with the default key."},
    ExampleHelp{"kml sign --assurance validated hello.kml -o hello.signed",
                "Check the machine code first, then sign a copy."},
    ExampleHelp{"kml sign --list libs.list /lib/x86_64-linux-gnu/libc.so.6",
                "An approval list for an unmodified library."},
};
constexpr CommandHelp kSignHelp{
    "Appends a signed manifest to FILE that approves it for ring 0: what "
    "kml.ko checks at exec (or at mmap, for a library) before it lets the "
    "program run at CPL 0. Signing again replaces the old manifest.\n\n"
    "With --list, makes a signed approval list instead, for files that "
    "cannot carry a signature of their own (a distribution's libraries); "
    "kml approve loads it into the kernel.",
    kSignOptions, kSignExits, kSignExamples};

// --- verify ---
constexpr std::array kVerifyOptions{
    OptionHelp{"FILE", "The signed program to check."},
    OptionHelp{"--cert CERT.pem",
               "Trust this certificate (may be repeated), besides those in "
               "the key directory."},
    OptionHelp{"--key-dir DIR", "Trust every certificate in DIR."},
    OptionHelp{"--min-assurance A",
               "Refuse a signature below A: trusted, validated or verified."},
    OptionHelp{"--min-generation N", "Refuse a generation below N."},
    OptionHelp{"--allow-bypass 0|1",
               "The value of /sys/kernel/kml/allow_bypass to check against."},
    OptionHelp{"--list LIST",
               "Check the approval list LIST as kml.ko loads it, then each "
               "FILE against it."},
};
constexpr std::array kVerifyExits{
    ExitHelp{kExitOk, "allowed"},
    ExitHelp{kExitFailure, "refused; the reason is printed"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "FILE, LIST or a certificate is malformed"},
};
constexpr std::array kVerifyExamples{
    ExampleHelp{"kml verify hello.kml", "Would kml.ko run it at ring 0?"},
    ExampleHelp{"kml verify --min-assurance validated --cert ca.pem app",
                "The same under a stricter policy and another key."},
};
constexpr CommandHelp kVerifyHelp{
    "Checks FILE's signed manifest as kml.ko does at exec, in the same "
    "order: the program image, the signature against the trusted "
    "certificates, the policy (assurance, generation, bypass), and what "
    "the approval must cover. Prints \"allowed\", or \"refused\" with the "
    "kernel's reason.",
    kVerifyOptions, kVerifyExits, kVerifyExamples};

// --- approve ---
constexpr std::array kApproveOptions{
    OptionHelp{"LIST", "A signed approval list (kml sign --list)."},
    OptionHelp{"--list", "Show the lists the kernel has loaded instead."},
    OptionHelp{"--sysfs-dir DIR",
               "Where the approvals file is (default /sys/kernel/kml)."},
};
constexpr std::array kApproveExits{
    ExitHelp{kExitOk, "loaded (or shown)"},
    ExitHelp{kExitFailure, "the kernel refused the list, or permission "
                           "was denied"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitNoInput, "LIST is not there"},
    ExitHelp{kExitUnavailable, "no approvals file: kml.ko is not loaded"},
    ExitHelp{kExitIoErr, "the approvals file could not be written"},
};
constexpr std::array kApproveExamples{
    ExampleHelp{"sudo kml approve libs.list", "Load an approval list."},
    ExampleHelp{"kml approve --list", "Which lists are loaded?"},
};
constexpr CommandHelp kApproveHelp{
    "Loads a signed approval list into the running kernel by writing its "
    "absolute path to /sys/kernel/kml/approvals; kml.ko reads the file "
    "and checks its signature itself. The files the list names may then "
    "be mapped executable by ring-0 programs.",
    kApproveOptions, kApproveExits, kApproveExamples};

// --- run ---
constexpr std::array kRunOptions{
    OptionHelp{"--ring0",
               "Start PROGRAM through kml's signed loader, at CPL 0; every "
               "file it maps executable must then be approved."},
    OptionHelp{"--kml-dir DIR", "kml's library directory (default $KML_DIR, or "
                                "/usr/lib/kml)."},
    OptionHelp{"PROGRAM [ARGS...]",
               "The program, found in PATH as a shell would, and its "
               "arguments (everything after PROGRAM is passed on)."},
};
constexpr std::array kRunExits{
    ExitHelp{kExitOk, "(and any other code) PROGRAM's own exit status"},
    ExitHelp{kExitFailure, "PROGRAM is static, or the exec was refused"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitNoInput, "PROGRAM is not found or cannot be read"},
    ExitHelp{kExitUnavailable, "the loader is missing"},
};
constexpr std::array kRunExamples{
    ExampleHelp{"kml run --ring0 redis-server",
                "Run Debian's redis-server at ring 0."},
    ExampleHelp{"kml run ls -l", "The same libraries, at ring 3."},
};
constexpr CommandHelp kRunHelp{
    "Starts an unmodified dynamic program through a dynamic loader, with "
    "kml's rewritten libc first in its library path (docs/dynamic.md). "
    "Without --ring0 the loader is the program's own and the program runs "
    "at ring 3: the comparison.",
    kRunOptions, kRunExits, kRunExamples};

// --- stats ---
constexpr std::array kStatsOptions{
    OptionHelp{"PID", "Show only this process."},
    OptionHelp{"-- CMD [ARGS...]",
               "Run CMD and show the ring-0 programs exec'd while it ran "
               "(by anyone: others' programs count too)."},
    OptionHelp{"--require-direct=PCT",
               "With CMD: fail unless at least PCT% of the system calls "
               "took the direct entry."},
};
constexpr std::array kStatsExits{
    ExitHelp{kExitOk, "shown (and the direct share was met)"},
    ExitHelp{kExitFailure, "below --require-direct, or PID not found"},
    ExitHelp{2, "no counters: kml.ko is not loaded"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "the counters file is malformed"},
    ExitHelp{126, "CMD could not be executed (127: not found); otherwise a "
                  "failing CMD's own status"},
};
constexpr std::array kStatsExamples{
    ExampleHelp{"kml stats", "Every ring-0 program kml.ko remembers."},
    ExampleHelp{"kml stats --require-direct=99 -- ./bench",
                "Run bench; fail if under 99% of its calls were direct."},
};
constexpr CommandHelp kStatsHelp{
    "Shows how the system calls of ring-0 programs reached the kernel, "
    "from kml.ko's counters (/sys/kernel/kml/programs): through the direct "
    "entry the rewriter put in, the bypass entry, or a `syscall` "
    "instruction left as it was (slow), with the sites of the slow ones.",
    kStatsOptions, kStatsExits, kStatsExamples};

// --- explain ---
constexpr std::array kExplainOptions{
    OptionHelp{"FILE",
               "A static x86-64 program, a dynamic loader or a shared "
               "library (libc.so.6, ld-linux-x86-64.so.2), rewritten or not; "
               "a library's paths are those in a ring-0 process. A dynamic "
               "program is not explained site by site: its interpreter and "
               "kml's rewritten libraries are named (needs the rewriter: not "
               "in the VM's kml)."},
    OptionHelp{"--json", "Print one JSON object instead of text, for tools."},
    OptionHelp{"--cert CERT.pem",
               "Trust this certificate too when judging the signature (may "
               "be repeated)."},
    OptionHelp{"--key-dir DIR",
               "Trust every certificate in DIR (default: the development "
               "key directory, see kml key)."},
    OptionHelp{"--trace [--] CMD [ARGS...]",
               "Run CMD with kml's trace events on and show each system call "
               "its ring-0 tasks make: the path it took (direct or slow), "
               "its site, result and cost, then a summary (calls by path, "
               "the slow sites) (docs/tracing.md). Needs root and a kml "
               "kernel; comes first."},
};
constexpr std::array kExplainExits{
    ExitHelp{kExitOk, "explained (whatever the verdict)"},
    ExitHelp{kExitFailure, "FILE is not an x86-64 program or library"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "FILE, a certificate or a policy file in "
                           "/sys/kernel/kml is malformed"},
    ExitHelp{kExitNoInput, "FILE cannot be read"},
    ExitHelp{kExitUnavailable,
             "--trace: no tracefs or no kml trace events here (not root, not "
             "a kml kernel); FILE: this kml has no rewriter"},
    ExitHelp{kExitIoErr, "a policy file cannot be read"},
};
constexpr std::array kExplainExamples{
    ExampleHelp{"kml explain ./hello",
                "What each system call of hello becomes at ring 0, and "
                "whether the kernel would run it there."},
    ExampleHelp{"kml explain --json hello.kml", "The same, for a tool."},
    ExampleHelp{"kml explain --trace -- ./hello.kml",
                "Run hello.kml and show which way each of its system calls "
                "went into the kernel."},
};
constexpr CommandHelp kExplainHelp{
    "Explains, for someone who knows C but not the kernel, what happens to "
    "each system call of a static program, kml's loader or a library at "
    "ring 0. For each call site: "
    "its address and function, the system call's name where the number is "
    "known (or \"set at run time\"), the instructions before and after kml "
    "rewrite, and the path the call takes into the kernel (direct, bypass, "
    "slow, or ring 3) with the reason in plain words.\n\n"
    "Then the program's verdict: its marker, its signed manifest and "
    "assurance, and what kml.ko decides under the current policy "
    "(/sys/kernel/kml, or the defaults where there is no kml kernel), and "
    "why. FILE is read, never changed.\n\n"
    "With --trace, runs a command instead and shows what its ring-0 tasks' "
    "system calls did, as they happened, from the kernel's kml trace events "
    "(not ptrace): the command runs as it would untraced. Its output comes "
    "first, then the report. The exit status is 0 once the command ran, "
    "whatever its own.",
    kExplainOptions, kExplainExits, kExplainExamples};

#ifdef KML_HAVE_REWRITE
// --- rewrite ---
constexpr std::array kRewriteOptions{
    OptionHelp{"FILE", "A static x86-64 program, or kml's loader or libc."},
    OptionHelp{"-o OUT, --output OUT",
               "Where to write the result (name FILE itself to rewrite in "
               "place)."},
    OptionHelp{"--dry-run", "Report what would be rewritten; write nothing."},
    OptionHelp{"--json", "Print the report as JSON."},
    OptionHelp{"-q, --quiet", "Print no report."},
};
constexpr std::array kRewriteExits{
    ExitHelp{kExitOk, "rewritten (sites that cannot be are left, and "
                      "reported)"},
    ExitHelp{kExitFailure, "FILE is not a static x86-64 program, or an "
                           "internal limit was hit; nothing written"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitDataErr, "FILE is not ELF, or is malformed"},
    ExitHelp{kExitNoInput, "FILE cannot be read"},
    ExitHelp{kExitIoErr, "OUT could not be written"},
};
constexpr std::array kRewriteExamples{
    ExampleHelp{"kml rewrite hello -o hello.kml",
                "A ring-0 hello whose system calls are calls."},
    ExampleHelp{"kml rewrite --dry-run hello", "Which sites, and why not?"},
};
constexpr CommandHelp kRewriteHelp{
    "Rewrites the system call sites of a static x86-64 executable into "
    "jumps to stubs that enter the kernel directly at CPL 0, and marks "
    "the result enabled. A site that cannot be rewritten safely is left "
    "as a `syscall` instruction (the slow path, which still works) and "
    "the report says why.",
    kRewriteOptions, kRewriteExits, kRewriteExamples};

// --- build ---
constexpr std::array kBuildOptions{
    OptionHelp{"SRC...", "C and C++ sources (.c, .cpp, .cc, .cxx)."},
    OptionHelp{"-o OUT, --output OUT",
               "The signed program; written only if every step passes."},
    OptionHelp{"--bypass", "Mark and sign with the bypass flag."},
    OptionHelp{"-p DIR", "Take each source's flags from DIR's "
                         "compile_commands.json."},
    OptionHelp{"--key-name NAME, --key KEY.pem --cert CERT.pem, --key-dir "
               "DIR",
               "The signing key, as for kml sign."},
    OptionHelp{"-- FLAGS...", "More compiler flags, after kml-verify's."},
};
constexpr std::array kBuildExits{
    ExitHelp{kExitOk, "OUT written"},
    ExitHelp{kExitFailure, "a step said no (its diagnostics say why); OUT "
                           "not written"},
    ExitHelp{kExitUsage, "bad usage"},
    ExitHelp{kExitNoInput, "a source file is missing"},
    ExitHelp{kExitUnavailable, "a tool is missing (clang-19, kml-verify)"},
    ExitHelp{kExitIoErr, "a file could not be written"},
};
constexpr std::array kBuildExamples{
    ExampleHelp{"kml build hello.c -o hello",
                "A verified, signed ring-0 hello in one step."},
};
constexpr CommandHelp kBuildHelp{
    "Builds a ring-0 program from C and C++ sources in one command: "
    "compiles with clang-19 and kml-verify's required flags, checks the "
    "sources with kml-verify, links static, rewrites the system calls, "
    "validates the machine code and signs the program as verified with "
    "the attestation. Everything happens in a private directory; only a "
    "signed program is ever written to OUT.",
    kBuildOptions, kBuildExits, kBuildExamples};

#endif

} // namespace

std::span<const Command> allCommands() {
  static constexpr std::array kCommands{
      Command{"mark", "mark FILE [-o OUT] [--disable] [--bypass]",
              "add the KML marker to a static x86-64 executable (or update "
              "it); enabled unless --disable, --bypass also sets the bypass "
              "flag",
              runMark, kMarkHelp},
      Command{"enable", "enable FILE",
              "set the enable flag of an existing marker", runEnable,
              kEnableHelp},
      Command{"disable", "disable FILE",
              "clear the enable flag of an existing marker", runDisable,
              kDisableHelp},
      Command{"bypass", "bypass on|off FILE",
              "set or clear the bypass flag of an existing marker (getpid, "
              "getppid, gettid answered by the kernel's bypass entry)",
              runBypass, kBypassHelp},
      Command{"inspect",
              "inspect FILE [--json]\n  inspect [--list] LIST [--json]",
              "show whether FILE is marked, its version, flags and location, "
              "and the signed manifest appended to it (not checked); or an "
              "approval list's entries and generation",
              runInspect, kInspectHelp},
      Command{"key",
              "key new [NAME] [--dir DIR] | key list [--dir DIR] | key enroll "
              "NAME|CERT.pem [--keyring KEYRING] [--dir DIR]",
              "make a development signing key (RSA-2048, self-signed), list "
              "them, or add a certificate to a kernel keyring (.kml by "
              "default)",
              runKey, kKeyHelp},
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
              runSign, kSignHelp},
      Command{"verify",
              "verify FILE [--cert CERT.pem]... [--key-dir DIR] "
              "[--min-assurance A] [--min-generation N]\n"
              "  verify --list LIST [FILE...] [the same options]",
              "check FILE's signed manifest as kml.ko does: allowed, or "
              "refused with the kernel's reason. --list: check an approval "
              "list as kml.ko loads it, then each FILE against it",
              runVerify, kVerifyHelp},
      Command{"approve", "approve LIST [--sysfs-dir DIR] | approve --list",
              "load a signed approval list into the running kernel (writes "
              "its absolute path to /sys/kernel/kml/approvals), or show the "
              "loaded ones",
              runApprove, kApproveHelp},
      Command{"run", "run [--ring0] [--kml-dir DIR] [--] PROGRAM [ARGS...]",
              "start an unmodified dynamic program through a dynamic loader "
              "with kml's rewritten libc (DIR, default /usr/lib/kml or "
              "$KML_DIR) first in its library path; --ring0 uses kml's "
              "signed loader, so the program runs at CPL 0 and every file "
              "it maps executable must be approved",
              runRun, kRunHelp},
      Command{"stats", "stats [PID | [--require-direct=PCT] -- CMD [ARGS...]]",
              "how ring-0 programs' system calls reached the kernel (direct, "
              "bypass, slow `syscall`): all programs, one PID, or those "
              "exec'd while CMD runs (by anyone: others' programs exec'd "
              "meanwhile count too); --require-direct fails below PCT%",
              runStats, kStatsHelp},
      Command{"explain",
              "explain FILE [--json] [--cert CERT.pem]... [--key-dir DIR]\n"
              "  explain --trace [--] CMD [ARGS...]",
              "explain each system call of FILE, a static program, a "
              "dynamic loader or a library (libc.so.6): its name, the "
              "instructions before and after kml rewrite, the path into the "
              "kernel (direct, bypass, slow, ring 3) and why; then the "
              "marker, signature and what kml.ko decides under the policy. "
              "A dynamic program is pointed at its interpreter and kml's "
              "rewritten libraries. "
              "--trace: run CMD and show which way each call went",
              runExplain, kExplainHelp},
#ifdef KML_HAVE_REWRITE
      Command{"rewrite", "rewrite FILE -o OUT [--json] [--dry-run] [--quiet]",
              "rewrite the syscall sites of a static x86-64 executable into "
              "direct kernel entries at CPL 0, and mark it enabled",
              runRewrite, kRewriteHelp},
      Command{"build",
              "build SRC... -o OUT [--bypass] [-p DIR] [--key-name NAME | "
              "--key KEY.pem --cert CERT.pem] [--key-dir DIR] [-- "
              "EXTRA-COMPILER-FLAGS...]",
              "compile C/C++ sources with kml-verify's flags, check them, "
              "link static, rewrite, validate and sign the program as "
              "verified; writes OUT only if every step passes",
              runBuild, kBuildHelp},
#endif
  };
  return kCommands;
}

const Command *findCommand(std::string_view name) {
  for (const Command &command : allCommands()) {
    if (command.name == name) {
      return &command;
    }
  }
  return nullptr;
}

namespace {

constexpr std::array kOverviewOptions{
    OptionHelp{"--help, -h", "Print this help and exit. `kml help COMMAND` "
                             "or `kml COMMAND --help` is a command's."},
    OptionHelp{"--version", "Print the kml version and exit."},
    OptionHelp{"--color=WHEN",
               "Colour the output: auto (the default: on a terminal that "
               "can show it), always or never. Given before the command, "
               "it holds for the command too."},
};
constexpr std::array kOverviewExits{
    ExitHelp{kExitOk, "success"},
    ExitHelp{kExitFailure, "the check or operation said no"},
    ExitHelp{kExitUsage, "bad usage (EX_USAGE)"},
    ExitHelp{kExitDataErr, "malformed input (EX_DATAERR)"},
    ExitHelp{kExitNoInput, "an input file is missing or unreadable "
                           "(EX_NOINPUT)"},
    ExitHelp{kExitUnavailable, "a tool or kml.ko is missing (EX_UNAVAILABLE)"},
    ExitHelp{kExitIoErr, "an output could not be written (EX_IOERR)"},
};
constexpr std::array kOverviewExamples{
    ExampleHelp{"kml help mark", "How to mark a program."},
    ExampleHelp{"kml rewrite hello -o hello.kml && kml sign hello.kml",
                "A ring-0 program whose system calls are calls, approved "
                "for ring 0."},
};
constexpr CommandHelp kOverviewHelp{
    "Kernel Mode Linux: run trusted, marked programs at CPL 0 so that their "
    "system calls become direct calls into the kernel. kml marks, rewrites, "
    "signs, checks and runs such programs, and shows what the kernel "
    "module kml.ko decided.\n\n"
    "Help goes through a pager ($KML_PAGER, $PAGER, or less -FRX) when "
    "standard output is a terminal, and is coloured there, as git does.",
    kOverviewOptions, kOverviewExits, kOverviewExamples};

constexpr std::array kEnvironment{
    OptionHelp{"KML_PAGER, PAGER",
               "The pager for long output on a terminal (KML_PAGER first; "
               "default less -FRX; empty or cat: none)."},
    OptionHelp{"NO_COLOR", "Set and not empty: no colour unless "
                           "--color=always."},
    OptionHelp{"TERM", "Unset or dumb: no colour unless --color=always."},
    OptionHelp{"KML_DIR", "kml's library directory for kml run."},
    OptionHelp{"KML_SYSFS_DIR", "Where kml stats reads kml.ko's counters "
                                "(default /sys/kernel/kml)."},
    OptionHelp{"XDG_CONFIG_HOME, HOME",
               "The development key directory is "
               "$XDG_CONFIG_HOME/kml/keys, or ~/.config/kml/keys."},
};

} // namespace

const CommandHelp &overviewHelp() { return kOverviewHelp; }

std::span<const OptionHelp> environmentHelp() { return kEnvironment; }

} // namespace kml
