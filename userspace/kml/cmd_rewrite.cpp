// kml rewrite FILE -o OUT [--json] [--dry-run]: turn the program's syscall
// sites into jumps to stubs that enter the kernel directly at CPL 0, and
// mark the result enabled (docs/syscall-shim.md).

#include "command.hpp"
#include "marker_cli.hpp"
#include "subcommands.hpp"

#include "kml/file_io.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "rewrite FILE -o OUT [--json] [--dry-run] [--quiet]";

struct RewriteOptions {
  std::string file;
  std::optional<std::string> output;
  bool json = false;
  bool dryRun = false; // report only, write nothing
  bool quiet = false;
  bool testEntry = false; // test only: emulated entry at CPL 3
};

std::variant<RewriteOptions, int> parse(Args args) {
  RewriteOptions options;
  bool haveFile = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "-o" || arg == "--output") {
      if (i + 1 == args.size()) {
        return usageError("rewrite", "-o needs a file name", kUsage);
      }
      options.output = std::string(args[++i]);
    } else if (arg.starts_with("--output=")) {
      options.output = std::string(arg.substr(9));
    } else if (arg == "--json") {
      options.json = true;
    } else if (arg == "--dry-run") {
      options.dryRun = true;
    } else if (arg == "--test-entry") {
      options.testEntry = true;
    } else if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
    } else if (arg.starts_with("-") && arg != "-") {
      return usageError("rewrite", "unknown option '" + std::string(arg) + "'",
                        kUsage);
    } else if (haveFile) {
      return usageError("rewrite", "only one FILE", kUsage);
    } else {
      options.file = std::string(arg);
      haveFile = true;
    }
  }
  if (!haveFile) {
    return usageError("rewrite", "missing FILE", kUsage);
  }
  // Rewriting in place must be asked for by name (-o FILE).
  if (!options.output && !options.dryRun) {
    return usageError("rewrite",
                      "missing -o OUT (use -o FILE to rewrite "
                      "in place, or --dry-run)",
                      kUsage);
  }
  return options;
}

} // namespace

int runRewrite(Args args) {
  auto parsed = parse(args);
  if (const int *code = std::get_if<int>(&parsed)) {
    return *code;
  }
  const RewriteOptions &options = std::get<RewriteOptions>(parsed);
  rewrite::RewriteResult result;
  mode_t mode = 0;
  try {
    // A loader and a library are rewritten too (kml run, docs/dynamic.md).
    const ElfImage image = loadImage(options.file, Accept::SharedObjects);
    mode = fileMode(options.file);
    if (options.dryRun) {
      result.report = rewrite::analyseImage(image);
    } else {
      result = rewrite::rewriteImage(image, {.testEntry = options.testEntry});
    }
  } catch (const ElfError &error) {
    return reportError("rewrite", options.file, error);
  } catch (const std::exception &error) {
    // An internal limit (a displacement that does not fit): nothing was
    // written.
    std::cerr << "kml rewrite: " << options.file << ": " << error.what()
              << "\n";
    return kExitFailure;
  }
  if (!options.dryRun) {
    // parse refuses a run that is neither -o OUT nor --dry-run.
    if (!options.output) {
      throw std::logic_error("kml rewrite: no output past the option check");
    }
    if (const int code =
            writeOutput("rewrite", *options.output, result.bytes, mode);
        code != kExitOk) {
      return code;
    }
  }
  if (options.json) {
    std::cout << rewrite::formatJson(result.report, options.file);
  } else if (!options.quiet) {
    std::cout << rewrite::formatReport(result.report, options.file);
  }
  return kExitOk;
}

} // namespace kml
