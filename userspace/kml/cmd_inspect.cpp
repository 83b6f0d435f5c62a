// kml inspect FILE [--json]: show whether a file carries the KML marker,
// what it says, and where it is.

#include "command.hpp"
#include "marker_cli.hpp"

#include "kml/text.hpp"

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage = "inspect FILE [--json]";

std::vector<std::string> flagNames(std::uint32_t flags) {
  std::vector<std::string> names;
  if (flags & KML_NOTE_F_ENABLE) {
    names.emplace_back("enable");
  }
  if (flags & KML_NOTE_F_BYPASS) {
    names.emplace_back("bypass");
  }
  for (std::uint32_t bit = 2; bit < 32; ++bit) {
    if (flags & (1U << bit)) {
      names.push_back(cat(Hex{1U << bit}));
    }
  }
  return names;
}

// How the kernel treats the marker, as the UAPI rule says.
std::string_view verdictName(enum kml_note_verdict verdict) {
  switch (verdict) {
  case KML_NOTE_RUN_NORMAL:
    return "normal";
  case KML_NOTE_RUN_KML:
    return "kernel-mode";
  case KML_NOTE_REFUSE:
    return "refused";
  }
  return "refused";
}

std::string_view verdictText(enum kml_note_verdict verdict) {
  switch (verdict) {
  case KML_NOTE_RUN_NORMAL:
    return "runs as a normal program";
  case KML_NOTE_RUN_KML:
    return "runs in kernel mode";
  case KML_NOTE_REFUSE:
    return "refuses to run it (ENOEXEC): marker not understood";
  }
  return "";
}

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[(c >> 4) & 0xf];
        out += kHex[c & 0xf];
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

void printText(std::ostream &out, std::string_view file,
               const std::optional<MarkerInfo> &marker) {
  if (!marker) {
    out << file << ": no KML marker (runs as a normal program)\n";
    return;
  }
  const MarkerInfo &m = *marker;
  out << file << ": KML marker present\n";
  out << "  version:  " << m.desc.version;
  if (m.desc.version > KML_NOTE_VERSION) {
    out << " (newer than this kml, which knows " << KML_NOTE_VERSION << ")";
  }
  out << "\n  flags:    " << Hex{m.desc.flags};
  const auto names = flagNames(m.desc.flags);
  if (names.empty()) {
    out << " (none)";
  } else {
    out << " (";
    for (std::size_t i = 0; i < names.size(); ++i) {
      out << (i ? ", " : "") << names[i];
    }
    out << ")";
  }
  out << "\n  state:    " << (m.enabled() ? "enabled" : "disabled")
      << "\n  kernel:   " << verdictText(m.verdict())
      << "\n  note:     at offset " << Hex{m.noteOffset} << ", descriptor at "
      << Hex{m.descOffset} << " (" << m.descSize
      << " bytes)\n  segment:  program header " << m.segmentIndex
      << " (PT_NOTE, offset " << Hex{m.segmentOffset} << ", "
      << Hex{m.segmentSize} << " bytes)\n";
}

void printJson(std::ostream &out, std::string_view file,
               const std::optional<MarkerInfo> &marker) {
  out << "{\"file\": " << jsonString(file)
      << ", \"marked\": " << (marker ? "true" : "false");
  if (marker) {
    const MarkerInfo &m = *marker;
    out << ", \"version\": " << m.desc.version
        << ", \"flags\": " << m.desc.flags << ", \"flag_names\": [";
    const auto names = flagNames(m.desc.flags);
    for (std::size_t i = 0; i < names.size(); ++i) {
      out << (i ? ", " : "") << jsonString(names[i]);
    }
    out << "], \"enabled\": " << (m.enabled() ? "true" : "false")
        << ", \"kernel\": " << jsonString(verdictName(m.verdict()))
        << ", \"note_offset\": " << m.noteOffset
        << ", \"desc_offset\": " << m.descOffset
        << ", \"desc_size\": " << m.descSize
        << ", \"segment_index\": " << m.segmentIndex
        << ", \"segment_offset\": " << m.segmentOffset
        << ", \"segment_size\": " << m.segmentSize;
  } else {
    out << ", \"kernel\": \"normal\"";
  }
  out << "}\n";
}

} // namespace

int runInspect(Args args) {
  bool json = false;
  std::optional<std::string> file;
  for (const std::string_view arg : args) {
    if (arg == "--json") {
      json = true;
    } else if (arg.starts_with("-")) {
      return usageError("inspect", "unknown option '" + std::string(arg) + "'",
                        kUsage);
    } else if (file) {
      return usageError("inspect", "only one FILE", kUsage);
    } else {
      file = std::string(arg);
    }
  }
  if (!file) {
    return usageError("inspect", "missing FILE", kUsage);
  }
  try {
    const ElfImage image = loadImage(*file);
    if (json) {
      printJson(std::cout, *file, image.marker());
    } else {
      printText(std::cout, *file, image.marker());
    }
  } catch (const ElfError &error) {
    if (json) {
      std::cout << "{\"file\": " << jsonString(*file)
                << ", \"error\": " << jsonString(kindName(error.kind()))
                << ", \"message\": " << jsonString(error.what()) << "}\n";
    }
    return reportError("inspect", *file, error);
  }
  return kExitOk;
}

} // namespace kml
