// kml explain FILE [--json]: what happens to each system call of a static
// program, a dynamic loader or a library at ring 0, and why: the call's
// name, the instructions before and after the rewrite, the path into the
// kernel; then the file's marker, signature and what kml.ko decides under
// the current policy. A dynamic program is pointed at its libraries
// (docs/explain.md).

#include "cmd_explain.hpp"
#include "arg_cursor.hpp"
#include "command.hpp"
#include "explain_render.hpp"
#include "gate_cli.hpp"
#include "kernel_policy.hpp"
#include "key_store.hpp"
#include "marker_cli.hpp"
#include "program_explainer.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_image.hpp"
#include "kml/file_io.hpp"
#include "kml/gate/gate_error.hpp"

#include <cstddef>
#include <filesystem>
#include <iostream>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "explain FILE [--json] [--cert CERT.pem]... [--key-dir DIR]";

struct ExplainOptions {
  std::string file;
  bool json = false;
  std::vector<std::string> certs;
  std::optional<std::string> keyDir;
};

ExplainOptions parse(Args args) {
  ExplainOptions options;
  std::vector<std::string> files;
  ArgCursor cursor(args);
  while (!cursor.done()) {
    if (cursor.takeFlag("--json")) {
      options.json = true;
    } else if (cursor.current() == "--trace") {
      throw UsageProblem{"--trace comes first: kml explain --trace -- CMD "
                         "[ARGS...]"};
    } else if (auto cert = cursor.takeValue("--cert")) {
      options.certs.push_back(std::move(*cert));
    } else if (auto dir = cursor.takeValue("--key-dir")) {
      options.keyDir = std::move(dir);
    } else {
      files.push_back(cursor.takePositional());
    }
  }
  if (files.size() != 1) {
    throw UsageProblem{files.empty() ? "missing FILE" : "only one FILE"};
  }
  options.file = std::move(files.front());
  return options;
}

// A program with an interpreter (and no DT_SONAME, which libc.so.6 has
// beside its PT_INTERP): ElfImage refuses it whatever it accepts.
bool isDynamicProgram(std::span<const std::byte> bytes) {
  try {
    const ElfImage image(std::vector<std::byte>(bytes.begin(), bytes.end()),
                         Accept::SharedObjects);
  } catch (const ElfError &error) {
    return error.kind() == ElfErrorKind::Dynamic;
  }
  return false;
}

// The whole output, or an exit code after the error message: nothing is
// printed before everything is known.
int explain(const ExplainOptions &options) {
  const std::filesystem::path keyDir =
      options.keyDir ? std::filesystem::path(*options.keyDir)
                     : KeyStore::defaultDir();
  std::string output;
  try {
    std::vector<std::byte> bytes = readWholeFile(options.file);
    if (isDynamicProgram(bytes)) {
      const DynamicProgramExplanation dynamic =
          explainDynamicProgram(options.file, bytes);
      std::cout << (options.json ? renderJson(dynamic) : renderText(dynamic));
      return kExitOk;
    }
    // A loader and a library are explained like a static program: kml
    // runs dynamic programs through its rewritten ones (docs/dynamic.md).
    const ElfImage image(std::move(bytes), Accept::SharedObjects);
    const KernelPolicy policy = readKernelPolicy();
    const std::vector<gate::Certificate> trusted =
        trustedCertificates(options.certs, keyDir);
    const ProgramExplanation explanation =
        explainProgram(image, {.file = options.file,
                               .policy = policy,
                               .trusted = trusted,
                               .trustedFrom = keyDir.string()});
    output = options.json ? renderJson(explanation) : renderText(explanation);
  } catch (const ElfError &error) {
    return reportError("explain", options.file, error);
  } catch (const PolicyError &error) {
    return gateFailure("explain", "policy", error.what(), error.exitCode());
  } catch (const gate::GateError &error) {
    return gateFailure("explain", options.file, error.what(), kExitDataErr);
  } catch (const std::exception &error) {
    // An internal limit of the rewriter (a displacement out of reach).
    return gateFailure("explain", options.file, error.what(), kExitFailure);
  }
  std::cout << output;
  return kExitOk;
}

} // namespace

int runExplainFile(Args args) {
  try {
    return explain(parse(args));
  } catch (const UsageProblem &problem) {
    return usageError("explain", problem.message, kUsage);
  }
}

} // namespace kml
