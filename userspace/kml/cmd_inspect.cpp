// kml inspect FILE [--json]: show whether a file carries the KML marker,
// what it says, and where it is; and the signed manifest appended to it,
// if any (read, not verified: that is `kml verify`). An approval list
// (not ELF, or with --list) shows its entries instead (list_view.cpp).

#include "command.hpp"
#include "gate_cli.hpp"
#include "json_text.hpp"
#include "list_view.hpp"
#include "marker_cli.hpp"
#include "name_list.hpp"
#include "signature_facts.hpp"
#include "subcommands.hpp"

#include "kml/file_io.hpp"
#include "kml/gate/gate_error.hpp"
#include "kml/gate/manifest.hpp"
#include "kml/text.hpp"

#include <cstring>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kml {
namespace {

constexpr std::string_view kUsage =
    "inspect FILE [--json] | inspect [--list] LIST [--json]";

std::vector<std::string> flagNames(std::uint32_t flags) {
  std::vector<std::string> names;
  if ((flags & KML_NOTE_F_ENABLE) != 0) {
    names.emplace_back("enable");
  }
  if ((flags & KML_NOTE_F_BYPASS) != 0) {
    names.emplace_back("bypass");
  }
  for (std::uint32_t bit = 2; bit < 32; ++bit) {
    if ((flags & (1U << bit)) != 0) {
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
      out << (i != 0 ? ", " : "") << names[i];
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

// A Present signature always carries the manifest it decoded.
const gate::Manifest &presentManifest(const SignatureFacts &facts) {
  if (!facts.manifest) {
    throw std::logic_error("a present signature without its manifest");
  }
  return *facts.manifest;
}

void printSignatureText(std::ostream &out, const SignatureFacts &facts) {
  switch (facts.state) {
  case SignatureFacts::State::None:
    out << "  signature: none (no appended manifest)\n";
    return;
  case SignatureFacts::State::Malformed:
    out << "  signature: malformed (" << facts.problem << ")\n";
    return;
  case SignatureFacts::State::Present:
    break;
  }
  const gate::Manifest &manifest = presentManifest(facts);
  const gate::ManifestEntry &entry = manifest.entries.front();
  out << "  signature: appended manifest, " << facts.pkcs7Size
      << " bytes of PKCS#7 at offset " << Hex{facts.pkcs7Offset}
      << " (not checked: see kml verify)"
      << "\n    signer:     " << facts.signer
      << "\n    generation: " << manifest.generation
      << "\n    assurance:  " << gate::assuranceName(entry.assurance)
      << "\n    role:       " << gate::roleName(entry.role)
      << "\n    flags:      " << Hex{entry.flags} << " ("
      << joinNames(gate::manifestFlagNames(entry.flags)) << ")"
      << "\n    length:     " << entry.length
      << (facts.lengthMatches ? " (the bytes before the signature)"
                              : " (NOT where the signature starts)")
      << "\n    sha256:     " << gate::hexDigits(entry.digest)
      << (facts.digestMatches ? " (matches)" : " (does NOT match)") << "\n";
  if (manifest.entries.size() > 1) {
    out << "    entries:    " << manifest.entries.size() << "\n";
  }
}

void printSignatureJson(std::ostream &out, const SignatureFacts &facts) {
  out << R"(, "signature": {"present": )"
      << (facts.state == SignatureFacts::State::None ? "false" : "true");
  if (facts.state == SignatureFacts::State::Malformed) {
    out << ", \"error\": " << jsonString(facts.problem);
  }
  if (facts.state == SignatureFacts::State::Present) {
    const gate::Manifest &manifest = presentManifest(facts);
    const gate::ManifestEntry &entry = manifest.entries.front();
    out << ", \"pkcs7_offset\": " << facts.pkcs7Offset
        << ", \"pkcs7_size\": " << facts.pkcs7Size
        << ", \"signer\": " << jsonString(facts.signer)
        << ", \"entries\": " << manifest.entries.size()
        << ", \"generation\": " << manifest.generation << ", \"assurance\": "
        << jsonString(gate::assuranceName(entry.assurance))
        << ", \"role\": " << jsonString(gate::roleName(entry.role))
        << ", \"flags\": " << entry.flags << ", \"flag_names\": "
        << jsonStringArray(gate::manifestFlagNames(entry.flags))
        << ", \"length\": " << entry.length
        << ", \"length_matches\": " << (facts.lengthMatches ? "true" : "false")
        << ", \"sha256\": " << jsonString(gate::hexDigits(entry.digest))
        << ", \"digest_matches\": " << (facts.digestMatches ? "true" : "false")
        << ", \"ruleset_version\": " << entry.rulesetVersion
        << ", \"attestation_sha256\": "
        << jsonString(gate::hexDigits(entry.attestation));
  }
  out << "}";
}

void printJson(std::ostream &out, std::string_view file,
               const std::optional<MarkerInfo> &marker,
               const SignatureFacts &facts) {
  out << "{\"file\": " << jsonString(file)
      << ", \"marked\": " << (marker ? "true" : "false");
  if (marker) {
    const MarkerInfo &m = *marker;
    out << ", \"version\": " << m.desc.version
        << ", \"flags\": " << m.desc.flags
        << ", \"flag_names\": " << jsonStringArray(flagNames(m.desc.flags))
        << ", \"enabled\": " << (m.enabled() ? "true" : "false")
        << ", \"kernel\": " << jsonString(verdictName(m.verdict()))
        << ", \"note_offset\": " << m.noteOffset
        << ", \"desc_offset\": " << m.descOffset
        << ", \"desc_size\": " << m.descSize
        << ", \"segment_index\": " << m.segmentIndex
        << ", \"segment_offset\": " << m.segmentOffset
        << ", \"segment_size\": " << m.segmentSize;
  } else {
    out << R"(, "kernel": "normal")";
  }
  printSignatureJson(out, facts);
  out << "}\n";
}

int inspectFailure(const std::string &file, const ElfError &error, bool json) {
  if (json) {
    std::cout << "{\"file\": " << jsonString(file)
              << ", \"error\": " << jsonString(kindName(error.kind()))
              << ", \"message\": " << jsonString(error.what()) << "}\n";
  }
  return reportError("inspect", file, error);
}

bool hasElfMagic(std::span<const std::byte> bytes) {
  return bytes.size() >= SELFMAG &&
         std::memcmp(bytes.data(), ELFMAG, SELFMAG) == 0;
}

std::optional<ListFacts> tryListFacts(std::span<const std::byte> bytes) {
  try {
    return readListFacts(bytes);
  } catch (const gate::GateError &) {
    return std::nullopt;
  }
}

void printList(const std::string &file, const ListFacts &facts, bool json) {
  if (json) {
    printListJson(std::cout, file, facts);
  } else {
    printListText(std::cout, file, facts);
  }
}

} // namespace

int runInspect(Args args) {
  bool json = false;
  bool listOnly = false;
  std::optional<std::string> file;
  for (const std::string_view arg : args) {
    if (arg == "--json") {
      json = true;
    } else if (arg == "--list") {
      listOnly = true;
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
  std::vector<std::byte> bytes;
  try {
    bytes = readWholeFile(*file);
  } catch (const ElfError &error) {
    return inspectFailure(*file, error, json);
  }
  if (listOnly) {
    try {
      printList(*file, readListFacts(bytes), json);
    } catch (const gate::GateError &error) {
      return gateFailure("inspect", *file, error.what(), kExitDataErr);
    }
    return kExitOk;
  }
  // Not ELF: perhaps an approval list; if not, the ELF error below says
  // what the file is not.
  if (auto list = hasElfMagic(bytes) ? std::nullopt : tryListFacts(bytes)) {
    printList(*file, *list, json);
    return kExitOk;
  }
  try {
    // kml's signed loader and libc too (kml sign, docs/dynamic.md).
    const ElfImage image(std::move(bytes), Accept::SharedObjects);
    const SignatureFacts facts = readSignatureFacts(image.bytes());
    if (json) {
      printJson(std::cout, *file, image.marker(), facts);
    } else {
      printText(std::cout, *file, image.marker());
      printSignatureText(std::cout, facts);
    }
  } catch (const ElfError &error) {
    return inspectFailure(*file, error, json);
  }
  return kExitOk;
}

} // namespace kml
