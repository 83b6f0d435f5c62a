#include "compile_plan.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

namespace kml {
namespace {

namespace fs = std::filesystem;

// The language standard when the command names none: the one the runtime
// headers and the verifier's corpus are written for.
std::string_view defaultStandard(Language language) {
  return language == Language::C ? "-std=c17" : "-std=c++20";
}

// Options of a project's command that write files of their own (the
// object, dependency files), which a build in the workspace must not:
// with the number of arguments each takes.
struct DroppedOption {
  std::string_view name;
  int values;
};
constexpr std::array kDropped{
    DroppedOption{"-o", 1},   DroppedOption{"-c", 0},  DroppedOption{"-MD", 0},
    DroppedOption{"-MMD", 0}, DroppedOption{"-MP", 0}, DroppedOption{"-MF", 1},
    DroppedOption{"-MT", 1},  DroppedOption{"-MQ", 1},
};

// The project's arguments without the compiler and the dropped options.
std::vector<std::string>
projectArguments(const std::vector<std::string> &args) {
  std::vector<std::string> kept;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    bool dropped = false;
    for (const DroppedOption &option : kDropped) {
      if (arg == option.name) {
        i += static_cast<std::size_t>(option.values);
        dropped = true;
        break;
      }
      // "-oFILE", "-MFFILE": the value joined to the option.
      if (option.values == 1 && arg.starts_with(option.name)) {
        dropped = true;
        break;
      }
    }
    if (!dropped) {
      kept.emplace_back(arg);
    }
  }
  return kept;
}

} // namespace

std::optional<Language> languageOf(const std::filesystem::path &source) {
  const std::string extension = source.extension().string();
  if (extension == ".c") {
    return Language::C;
  }
  if (extension == ".cpp" || extension == ".cc" || extension == ".cxx" ||
      extension == ".C") {
    return Language::Cxx;
  }
  return std::nullopt;
}

CompilePlan::CompilePlan(Compilers compilers, CommonFlags flags,
                         std::filesystem::path objectDir,
                         std::optional<CompileDatabase> database)
    : compilers_(std::move(compilers)), flags_(std::move(flags)),
      objectDir_(std::move(objectDir)), database_(std::move(database)) {}

void CompilePlan::add(const std::filesystem::path &source) {
  const Language language = languageOf(source).value_or(Language::C);
  PlannedUnit unit;
  unit.command =
      database_ ? fromDatabase(source, language) : fromFlags(source, language);
  // Numbered: two sources of one name in different directories.
  unit.object = objectDir_ / (std::to_string(units_.size()) + "-" +
                              source.stem().string() + ".o");
  for (const fs::path &dir : flags_.includes) {
    unit.command.arguments.push_back("-I" + dir.string());
  }
  unit.command.arguments.insert(unit.command.arguments.end(),
                                flags_.extra.begin(), flags_.extra.end());
  unit.command.arguments.insert(unit.command.arguments.end(),
                                {"-c", "-o", unit.object.string()});
  units_.push_back(std::move(unit));
}

std::vector<CompileCommand> CompilePlan::commands() const {
  std::vector<CompileCommand> commands;
  commands.reserve(units_.size());
  for (const PlannedUnit &unit : units_) {
    commands.push_back(unit.command);
  }
  return commands;
}

CompileCommand CompilePlan::fromFlags(const std::filesystem::path &source,
                                      Language language) const {
  CompileCommand command;
  command.directory = fs::current_path();
  command.file = fs::absolute(source).lexically_normal();
  command.arguments = {compilers_.of(language).string(),
                       std::string(defaultStandard(language))};
  command.arguments.insert(command.arguments.end(), flags_.required.begin(),
                           flags_.required.end());
  command.arguments.push_back(command.file.string());
  return command;
}

CompileCommand CompilePlan::fromDatabase(const std::filesystem::path &source,
                                         Language language) const {
  if (!database_) {
    throw std::logic_error("fromDatabase without a compilation database");
  }
  std::optional<CompileCommand> project = database_->find(source);
  if (!project) {
    throw CompileDatabaseError("no compile command for " + source.string() +
                               " in the compilation database");
  }
  CompileCommand command;
  command.directory = project->directory;
  command.file = fs::absolute(source).lexically_normal();
  // Our compiler, the project's options (its source among them), then the
  // required flags last, so that they win over anything the project says.
  command.arguments = {compilers_.of(language).string()};
  const std::vector<std::string> kept = projectArguments(project->arguments);
  command.arguments.insert(command.arguments.end(), kept.begin(), kept.end());
  command.arguments.insert(command.arguments.end(), flags_.required.begin(),
                           flags_.required.end());
  return command;
}

} // namespace kml
