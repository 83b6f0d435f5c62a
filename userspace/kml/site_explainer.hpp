#pragma once
// One system-call site explained: its call's name, the instructions
// before and after the rewrite, and the path a call from it takes into
// the kernel, with the reason in plain words.

#include "explain_model.hpp"
#include "image_memory.hpp"
#include "x86_decoder.hpp"

#include "kml/rewrite/rewriter.hpp"

namespace kml {

// What decides a site's path besides the site itself.
struct RingContext {
  bool ring0 = false;      // the marker asks for ring 0 (enabled)
  bool bypass = false;     // the marker asks for the bypass entry
  bool hasStubs = false;   // the code is rewritten
  std::string whyNotRing0; // "no KML marker", "the marker is disabled"
  // How a stub learns the direct entry, in words, when not from a static
  // program's prologue (a library's finder, a loader's entry hook).
  std::string entryHow;
  // A library without a finder: its stubs never learn the direct entry.
  bool noEntry = false;
};

class SiteExplainer {
public:
  // `original` and `rewritten` are the program's memory before and after
  // the rewrite (the same program, so the same addresses but the added
  // segments).
  SiteExplainer(const ImageMemory &original, const ImageMemory &rewritten,
                const X86Decoder &decoder);

  [[nodiscard]] SiteExplanation
  explain(const rewrite::SiteOutcome &site, const RingContext &now,
          const std::optional<RingContext> &afterRewrite) const;

  // The path alone, for a site already explained (a tracer's call).
  [[nodiscard]] static PathVerdict pathOf(const SiteExplanation &site,
                                          const RingContext &context);

private:
  [[nodiscard]] std::vector<ShownInstruction>
  decodeRange(const ImageMemory &memory, std::uint64_t start,
              std::uint64_t end) const;
  [[nodiscard]] std::vector<ShownInstruction>
  decodeStub(std::uint64_t stub) const;

  const ImageMemory &original_;
  const ImageMemory &rewritten_;
  const X86Decoder &decoder_;
};

} // namespace kml
