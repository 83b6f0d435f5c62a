#include "program_explainer.hpp"

#include "image_memory.hpp"
#include "program_verdict.hpp"
#include "rewritten_image.hpp"
#include "site_explainer.hpp"
#include "x86_decoder.hpp"

#include "kml/elf_error.hpp"
#include "kml/elf_layout.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <linux/kml_note.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string_view>

namespace kml {
namespace {

constexpr std::uint64_t kMaxInstruction = 15;

// docs/dynamic.md, "What the kernel checks".
constexpr std::string_view kLibraryApproval =
    "a library is never exec'd: when a ring-0 process maps it executable, "
    "kml.ko approves it by its appended signature in the library role (kml "
    "sign) or by its digest in a signed approval list (kml sign --list, "
    "loaded with kml approve); anything else is refused as "
    "unapproved-mapping";
constexpr std::string_view kLoaderApproval =
    " (this is the loader: kml run execs it, so it needs a signature in the "
    "program role, which kml sign gives a loader; every file it then maps "
    "executable is approved by its own signature or a signed approval list, "
    "kml sign --list)";

// Said after a direct path's reason: how the stubs of a loader or a
// library find the kernel's direct entry (docs/dynamic.md).
std::string entryHow(rewrite::EntrySource source) {
  switch (source) {
  case rewrite::EntrySource::EntryHook:
    return "; the entry source is the loader's entry hook: its entry point "
           "jumps to kml's prologue, which stores AT_KML_ENTRY from the "
           "auxiliary vector for every stub, then runs the loader's own "
           "first instructions";
  case rewrite::EntrySource::Finder:
    return "; the entry source is the library's finder: a library has no "
           "entry point, so the first stub to run calls the finder, which "
           "reads AT_KML_ENTRY from the process's auxiliary vector once "
           "(through __libc_stack_end) for every stub";
  case rewrite::EntrySource::Prologue:
  case rewrite::EntrySource::None:
    break;
  }
  return "";
}

// A loader or library runs at the ring of the process that maps it: the
// paths shown are those in a ring-0 process (kml run --ring0), whatever
// its own marker says.
RingContext sharedObjectRing(const ElfImage &image, bool hasStubs,
                             rewrite::EntrySource source) {
  RingContext context;
  context.ring0 = true;
  context.hasStubs = hasStubs;
  const auto &marker = image.marker();
  context.bypass = marker && (marker->desc.flags & KML_NOTE_F_BYPASS) != 0;
  context.entryHow = entryHow(source);
  context.noEntry = source == rewrite::EntrySource::None;
  return context;
}

RingContext ringNow(const ElfImage &image, bool hasStubs,
                    rewrite::EntrySource source) {
  if (image.kind() != ImageKind::StaticProgram) {
    return sharedObjectRing(image, hasStubs, source);
  }
  RingContext context;
  context.hasStubs = hasStubs;
  const auto &marker = image.marker();
  if (!marker) {
    context.whyNotRing0 = "no KML marker";
    return context;
  }
  context.bypass = (marker->desc.flags & KML_NOTE_F_BYPASS) != 0;
  switch (marker->verdict()) {
  case KML_NOTE_RUN_KML:
    context.ring0 = true;
    break;
  case KML_NOTE_RUN_NORMAL:
    context.whyNotRing0 = "the KML marker is disabled";
    break;
  case KML_NOTE_REFUSE:
    context.whyNotRing0 = "the kernel does not understand its KML marker and "
                          "refuses to run it";
    break;
  }
  return context;
}

// `kml rewrite` marks its output enabled and keeps the bypass bit.
RingContext ringAfterRewrite(const ElfImage &image,
                             rewrite::EntrySource source) {
  if (image.kind() != ImageKind::StaticProgram) {
    return sharedObjectRing(image, true, source);
  }
  RingContext context;
  context.ring0 = true;
  context.hasStubs = true;
  const auto &marker = image.marker();
  context.bypass = marker && (marker->desc.flags & KML_NOTE_F_BYPASS) != 0;
  return context;
}

// The sites of a rewritten file: the analysis of its rebuilt original,
// with what the file itself did at each.
std::vector<rewrite::SiteOutcome>
sitesOfRewritten(const rewrite::RewriteReport &analysis,
                 const std::vector<RecoveredSite> &recovered) {
  std::map<std::uint64_t, const RecoveredSite *> bySyscall;
  for (const RecoveredSite &site : recovered) {
    bySyscall.emplace(site.syscall, &site);
  }
  std::vector<rewrite::SiteOutcome> sites;
  for (rewrite::SiteOutcome site : analysis.sites) {
    const auto found = bySyscall.find(site.address);
    site.rewritten = found != bySyscall.end();
    if (site.rewritten) {
      site.reason = rewrite::LeaveReason::None;
      site.rangeStart = found->second->start;
      site.rangeEnd = found->second->end;
      site.stub = found->second->stub;
      bySyscall.erase(found);
    }
    // Not found: left in the file. A reason None means this analysis would
    // rewrite it (SiteExplainer says so).
    sites.push_back(std::move(site));
  }
  // A stub for a place this analysis does not call a site.
  for (const auto &[address, site] : bySyscall) {
    rewrite::SiteOutcome outcome;
    outcome.address = address;
    outcome.rewritten = true;
    outcome.rangeStart = site->start;
    outcome.rangeEnd = site->end;
    outcome.stub = site->stub;
    sites.push_back(std::move(outcome));
  }
  std::ranges::sort(sites, {}, &rewrite::SiteOutcome::address);
  return sites;
}

void explainRewritten(const ElfImage &image, const X86Decoder &decoder,
                      ProgramExplanation &out) {
  RestoredImage restored;
  rewrite::RewriteReport analysis;
  try {
    restored = restoreOriginal(image, decoder);
    const ElfImage original(restored.bytes, image.accepted());
    analysis = rewrite::analyseImage(original);
  } catch (const RecoveryError &error) {
    out.originalRecovered = false;
    out.recoveryProblem = error.what();
    return;
  } catch (const ElfError &error) {
    out.originalRecovered = false;
    out.recoveryProblem =
        std::string("the rebuilt original is not a program: ") + error.what();
    return;
  }
  const ImageMemory originalMemory(restored.bytes, image.programHeaders());
  const ImageMemory fileMemory(image.bytes(), image.programHeaders());
  const SiteExplainer explainer(originalMemory, fileMemory, decoder);
  out.entrySource = analysis.entrySource;
  const RingContext now = ringNow(image, true, analysis.entrySource);
  for (const rewrite::SiteOutcome &site :
       sitesOfRewritten(analysis, restored.sites)) {
    out.sites.push_back(explainer.explain(site, now, std::nullopt));
  }
}

void explainUnrewritten(const ElfImage &image, const X86Decoder &decoder,
                        ProgramExplanation &out) {
  const rewrite::RewriteResult result = rewrite::rewriteImage(image);
  const ElfImage rewritten(result.bytes, image.accepted());
  const ImageMemory fileMemory(image.bytes(), image.programHeaders());
  const ImageMemory rewrittenMemory(rewritten.bytes(),
                                    rewritten.programHeaders());
  const SiteExplainer explainer(fileMemory, rewrittenMemory, decoder);
  out.entrySource = result.report.entrySource;
  const RingContext now = ringNow(image, false, result.report.entrySource);
  const RingContext after = ringAfterRewrite(image, result.report.entrySource);
  for (const rewrite::SiteOutcome &site : result.report.sites) {
    out.sites.push_back(explainer.explain(site, now, after));
  }
}

} // namespace

ProgramExplanation explainProgram(const ElfImage &image,
                                  const ExplainInputs &inputs) {
  ProgramExplanation out;
  out.file = inputs.file;
  out.fileRewritten = isRewritten(image);
  const X86Decoder decoder;
  if (out.fileRewritten) {
    explainRewritten(image, decoder, out);
  } else {
    explainUnrewritten(image, decoder, out);
  }
  out.kind = image.kind();
  out.verdict =
      decideProgram(image, inputs.policy, inputs.trusted, inputs.trustedFrom);
  if (image.kind() == ImageKind::Library) {
    out.verdict.decision = Decision::Library;
    out.verdict.refusal.reset();
    out.verdict.why = kLibraryApproval;
  } else if (image.kind() == ImageKind::Loader) {
    out.verdict.why += kLoaderApproval;
  }
  return out;
}

DynamicProgramExplanation
explainDynamicProgram(std::string file, std::span<const std::byte> bytes) {
  DynamicProgramExplanation out;
  out.file = std::move(file);
  const ElfLayout layout(bytes);
  for (const Elf64_Phdr &header : layout.programHeaders()) {
    if (header.p_type == PT_INTERP && header.p_offset < bytes.size()) {
      const auto size = std::min<std::uint64_t>(header.p_filesz,
                                                bytes.size() - header.p_offset);
      std::string path(
          reinterpret_cast<const char *>(bytes.data()) + header.p_offset, size);
      path.resize(std::strlen(path.c_str()));
      out.interpreter = std::move(path);
    }
  }
  const ImageMemory memory(bytes, layout.programHeaders());
  const X86Decoder decoder;
  for (const SectionInfo &section : readSections(bytes, layout.header())) {
    if (!section.isCode()) {
      continue;
    }
    const std::uint64_t end = section.address + section.size;
    for (std::uint64_t at = section.address; at < end;) {
      const auto code =
          memory.upTo(at, std::min<std::uint64_t>(kMaxInstruction, end - at));
      if (code.empty()) {
        break;
      }
      const auto insn = decoder.decode(code, at);
      if (!insn) {
        ++at;
        continue;
      }
      if (insn->isSyscall) {
        out.ownSites.push_back(at);
      }
      at = insn->end();
    }
  }
  return out;
}

} // namespace kml
