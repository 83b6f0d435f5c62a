#include "program_explainer.hpp"

#include "image_memory.hpp"
#include "program_verdict.hpp"
#include "rewritten_image.hpp"
#include "site_explainer.hpp"
#include "x86_decoder.hpp"

#include "kml/elf_error.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <linux/kml_note.h>

#include <algorithm>
#include <map>

namespace kml {
namespace {

RingContext ringNow(const ElfImage &image, bool hasStubs) {
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
RingContext ringAfterRewrite(const ElfImage &image) {
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
  const RingContext now = ringNow(image, true);
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
  const RingContext now = ringNow(image, false);
  const RingContext after = ringAfterRewrite(image);
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
  out.verdict =
      decideProgram(image, inputs.policy, inputs.trusted, inputs.trustedFrom);
  return out;
}

} // namespace kml
