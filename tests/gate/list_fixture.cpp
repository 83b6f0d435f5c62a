#include "list_fixture.hpp"

#include "kml/gate/approval_list.hpp"
#include "kml/gate/cms.hpp"
#include "kml/gate/sha256.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <variant>

namespace kml::test {
namespace {

// kml's arguments: head, the files, then the options.
std::vector<std::string> listCommand(std::vector<std::string> head,
                                     const std::vector<fs::path> &files,
                                     const std::vector<std::string> &options) {
  for (const fs::path &file : files) {
    head.push_back(file.string());
  }
  head.insert(head.end(), options.begin(), options.end());
  return head;
}

} // namespace

fs::path gateProgram(const std::string &name) {
  return fs::path(KML_GATE_PROGRAMS_DIR) / name;
}

void ListTest::SetUp() {
  GateTest::SetUp();
  fs::create_directory(dir_ / "in");
  staticProgram_ = copyInput(program("glibc-static"), "static");
  staticPie_ = copyInput(program("glibc-static-pie"), "static-pie");
  dynamicProgram_ = copyInput(program("glibc-dynamic"), "dynamic");
  library_ = copyInput(gateProgram("libkmltest.so.1"), "libkmltest.so.1");
  runnableLibrary_ = copyInput(gateProgram("libkmltest-runnable.so.1"),
                               "libkmltest-runnable.so.1");
  loader_ = copyInput(gateProgram("ld-linux-kml-test.so.2"),
                      "ld-linux-kml-test.so.2");
}

std::vector<fs::path> ListTest::allInputs() const {
  return {staticProgram_, staticPie_,       dynamicProgram_,
          library_,       runnableLibrary_, loader_};
}

fs::path ListTest::copyInput(const fs::path &from, const std::string &as) {
  fs::path to = dir_ / "in" / as;
  copyFile(from, to);
  return to;
}

RunResult ListTest::signList(const fs::path &out,
                             const std::vector<fs::path> &files,
                             const std::vector<std::string> &args) {
  return kml(listCommand({"sign", "--list", out.string()}, files, args));
}

fs::path ListTest::signListOk(const std::vector<fs::path> &files,
                              const std::vector<std::string> &args) {
  fs::path out = dir_ / "list";
  const RunResult result = signList(out, files, args);
  if (result.exitCode != 0) {
    throw std::runtime_error("kml sign --list failed: " + result.err);
  }
  return out;
}

gate::Manifest ListTest::readList(const fs::path &file) {
  auto content = gate::readContent(readBytes(file));
  if (const auto *problem = std::get_if<std::string>(&content)) {
    throw std::runtime_error(file.string() + ": " + *problem);
  }
  auto decoded = gate::decodeApprovalList(
      std::get<gate::UnverifiedContent>(content).content);
  if (!std::holds_alternative<gate::Manifest>(decoded)) {
    throw std::runtime_error(file.string() + ": not an approval list");
  }
  return std::get<gate::Manifest>(decoded);
}

std::optional<gate::ManifestEntry>
ListTest::entryFor(const gate::Manifest &list, const fs::path &file) {
  const gate::Digest digest = gate::sha256(readBytes(file));
  const auto found =
      std::ranges::find(list.entries, digest, &gate::ManifestEntry::digest);
  if (found == list.entries.end()) {
    return std::nullopt;
  }
  return *found;
}

RunResult ListTest::verifyList(const fs::path &list,
                               const std::vector<fs::path> &files,
                               const std::vector<std::string> &args) {
  std::vector<std::string> options{"--min-assurance", "trusted"};
  options.insert(options.end(), args.begin(), args.end());
  return kml(listCommand({"verify", "--list", list.string()}, files, options));
}

std::map<std::string, std::string> ListTest::outcomes(const RunResult &result) {
  std::map<std::string, std::string> verdicts;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    for (const std::string mark : {": allowed: ", ": refused: "}) {
      const std::size_t at = line.find(mark);
      if (at == std::string::npos) {
        continue;
      }
      const std::string rest = line.substr(at + mark.size());
      verdicts[line.substr(0, at)] =
          mark == ": allowed: " ? "allowed" : rest.substr(0, rest.find(':'));
    }
  }
  return verdicts;
}

} // namespace kml::test
