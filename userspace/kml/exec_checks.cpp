#include "exec_checks.hpp"

#include <linux/kml_note.h>

#include <elf.h>
#include <optional>
#include <string>

namespace kml {
namespace {

constexpr std::uint64_t kPageSize = 4096;

gate::GateVerdict refuse(gate::GateReason reason, std::string detail) {
  return gate::GateVerdict::refuse(reason, std::move(detail));
}

// What makes code writable or anonymous, as kml_writable_code() finds it:
// the first executable PT_LOAD that is writable or has a bss, else an
// executable stack (the last PT_GNU_STACK decides, as in the ELF loader).
std::optional<std::string> writableCode(const ElfImage &image) {
  bool execStack = false;
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_GNU_STACK) {
      execStack = (ph.p_flags & PF_X) != 0;
    }
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_X) == 0) {
      continue;
    }
    if ((ph.p_flags & PF_W) != 0) {
      return "a writable and executable segment";
    }
    if (ph.p_memsz > ph.p_filesz) {
      return "an executable segment with a bss";
    }
  }
  if (execStack) {
    return "an executable stack (PT_GNU_STACK)";
  }
  return std::nullopt;
}

} // namespace

bool gatedAtExec(const ElfImage &image) {
  const std::optional<MarkerInfo> &marker = image.marker();
  return marker && marker->verdict() != KML_NOTE_RUN_NORMAL;
}

gate::GateVerdict checkExecImage(const ElfImage &image) {
  // ElfImage itself refuses a marker too short or a second one.
  const std::optional<MarkerInfo> &marker = image.marker();
  if (marker && marker->verdict() == KML_NOTE_REFUSE) {
    if (!marker->versionKnown()) {
      return refuse(gate::GateReason::MARKER_NEWER_VERSION,
                    "version " + std::to_string(marker->desc.version));
    }
    return refuse(gate::GateReason::MARKER_UNKNOWN_FLAG,
                  "flags " + std::to_string(marker->desc.flags));
  }
  if (auto what = writableCode(image)) {
    return refuse(gate::GateReason::ANONYMOUS_EXEC, std::move(*what));
  }
  return gate::GateVerdict::allow();
}

gate::GateVerdict checkExecApproval(const ElfImage &image,
                                    const gate::ManifestEntry &entry,
                                    const ExecPolicy &policy) {
  const std::optional<MarkerInfo> &marker = image.marker();
  const bool wantsBypass =
      marker && (marker->desc.flags & KML_NOTE_F_BYPASS) != 0;
  if (wantsBypass && !policy.allowBypass) {
    return refuse(gate::GateReason::BYPASS_NOT_ALLOWED, "allow_bypass is off");
  }
  if (wantsBypass && (entry.flags & KML_MANIFEST_F_BYPASS) == 0) {
    return refuse(gate::GateReason::BYPASS_NOT_ALLOWED,
                  "the marker asks for the bypass, the manifest does not "
                  "approve it");
  }
  // The appended signature shares the last covered page: whole pages only.
  const std::uint64_t limit = entry.length / kPageSize * kPageSize;
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type != PT_LOAD || (ph.p_flags & PF_X) == 0) {
      continue;
    }
    std::uint64_t end = 0;
    if (__builtin_add_overflow(ph.p_offset, ph.p_filesz, &end) || end > limit) {
      return refuse(gate::GateReason::UNAPPROVED_MAPPING,
                    "code pages reach past the signed bytes (to " +
                        std::to_string(end) + ", whole pages end at " +
                        std::to_string(limit) + ")");
    }
  }
  return gate::GateVerdict::allow();
}

} // namespace kml
