#include "compile_database.hpp"

#include "kml/elf_error.hpp"
#include "kml/file_io.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/json.hpp"

#include <system_error>

namespace kml {
namespace {

namespace fs = std::filesystem;
using gate::JsonValue;

const std::string &stringMember(const JsonValue &entry, std::string_view name,
                                std::string_view where) {
  const JsonValue *value = entry.member(name);
  if (value == nullptr || value->kind != JsonValue::Kind::String) {
    throw CompileDatabaseError(std::string(where) + ": an entry without \"" +
                               std::string(name) + "\"");
  }
  return value->text;
}

std::vector<std::string> entryArguments(const JsonValue &entry,
                                        std::string_view where) {
  if (const JsonValue *arguments = entry.member("arguments")) {
    std::vector<std::string> out;
    if (arguments->kind == JsonValue::Kind::Array) {
      for (const JsonValue &item : arguments->items) {
        if (item.kind != JsonValue::Kind::String) {
          throw CompileDatabaseError(std::string(where) +
                                     ": an \"arguments\" item that is not a "
                                     "string");
        }
        out.push_back(item.text);
      }
      return out;
    }
  }
  return splitCommandLine(stringMember(entry, "command", where));
}

// The path as an absolute one with symlinks resolved as far as it exists,
// so that two names of one file compare equal.
fs::path resolved(const fs::path &path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal() : canonical;
}

void appendJsonString(std::string &out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
}

} // namespace

CompileDatabase CompileDatabase::load(const std::filesystem::path &dir) {
  const fs::path file = dir / "compile_commands.json";
  std::vector<std::byte> bytes;
  try {
    bytes = readWholeFile(file);
  } catch (const ElfError &error) {
    throw CompileDatabaseError(error.what());
  }
  return parse(std::string_view(reinterpret_cast<const char *>(bytes.data()),
                                bytes.size()),
               file.string());
}

CompileDatabase CompileDatabase::parse(std::string_view json,
                                       std::string_view where) {
  JsonValue root;
  try {
    root = gate::parseJson(json);
  } catch (const gate::GateError &error) {
    throw CompileDatabaseError(std::string(where) + ": " + error.what());
  }
  if (root.kind != JsonValue::Kind::Array) {
    throw CompileDatabaseError(std::string(where) +
                               ": not a compilation database (a JSON array)");
  }
  CompileDatabase database;
  for (const JsonValue &entry : root.items) {
    if (entry.kind != JsonValue::Kind::Object) {
      throw CompileDatabaseError(std::string(where) +
                                 ": an entry that is not an object");
    }
    CompileCommand command;
    command.directory = stringMember(entry, "directory", where);
    command.file = stringMember(entry, "file", where);
    command.arguments = entryArguments(entry, where);
    if (command.arguments.empty()) {
      throw CompileDatabaseError(std::string(where) +
                                 ": an empty command for " +
                                 command.file.string());
    }
    database.entries_.push_back(std::move(command));
  }
  return database;
}

std::optional<CompileCommand>
CompileDatabase::find(const std::filesystem::path &source) const {
  const fs::path wanted = resolved(source);
  for (const CompileCommand &entry : entries_) {
    // A relative "file" is relative to the entry's "directory".
    if (resolved(entry.directory / entry.file) == wanted) {
      return entry;
    }
  }
  return std::nullopt;
}

std::vector<std::string> splitCommandLine(std::string_view command) {
  std::vector<std::string> arguments;
  std::string current;
  bool inArgument = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (inArgument) {
        arguments.push_back(std::move(current));
        current.clear();
        inArgument = false;
      }
      continue;
    }
    inArgument = true;
    if (c == '\\' && i + 1 < command.size()) {
      current += command[++i];
    } else if (c == '\'') {
      const std::size_t end = command.find('\'', i + 1);
      current += command.substr(i + 1, end - i - 1);
      i = end == std::string_view::npos ? command.size() : end;
    } else if (c == '"') {
      for (++i; i < command.size() && command[i] != '"'; ++i) {
        // Inside double quotes a backslash escapes only these, as in sh.
        if (command[i] == '\\' && i + 1 < command.size() &&
            std::string_view("\"\\$`").find(command[i + 1]) !=
                std::string_view::npos) {
          ++i;
        }
        current += command[i];
      }
    } else {
      current += c;
    }
  }
  if (inArgument) {
    arguments.push_back(std::move(current));
  }
  return arguments;
}

std::string compileDatabaseJson(const std::vector<CompileCommand> &commands) {
  std::string out = "[\n";
  for (std::size_t i = 0; i < commands.size(); ++i) {
    const CompileCommand &command = commands[i];
    out += "  {\"directory\": ";
    appendJsonString(out, command.directory.string());
    out += ", \"file\": ";
    appendJsonString(out, command.file.string());
    out += ", \"arguments\": [";
    for (std::size_t a = 0; a < command.arguments.size(); ++a) {
      out += a == 0 ? "" : ", ";
      appendJsonString(out, command.arguments[a]);
    }
    out += i + 1 == commands.size() ? "]}\n" : "]},\n";
  }
  out += "]\n";
  return out;
}

} // namespace kml
