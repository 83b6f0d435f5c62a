#include "explain_model.hpp"

#include <algorithm>

namespace kml {

std::string_view callPathName(CallPath path) {
  switch (path) {
  case CallPath::Direct:
    return "direct";
  case CallPath::Bypass:
    return "bypass";
  case CallPath::Slow:
    return "slow";
  case CallPath::Ring3:
    return "ring 3";
  }
  return "ring 3";
}

std::string_view decisionName(Decision decision) {
  switch (decision) {
  case Decision::NormalProgram:
    return "ring 3";
  case Decision::Ring0:
    return "ring 0";
  case Decision::Refused:
    return "refused";
  case Decision::Library:
    return "library";
  }
  return "refused";
}

ExplainSummary ProgramExplanation::summary(bool afterRewrite) const {
  ExplainSummary out;
  for (const SiteExplanation &site : sites) {
    if (afterRewrite && !site.afterRewrite) {
      continue;
    }
    ++out.sites;
    const PathVerdict &path = afterRewrite ? *site.afterRewrite : site.now;
    switch (path.path) {
    case CallPath::Direct:
      ++out.direct;
      break;
    case CallPath::Bypass:
      ++out.bypass;
      break;
    case CallPath::Slow:
      ++out.slow;
      if (!site.rewritten) {
        ++out.slowByReason[site.reason];
      }
      break;
    case CallPath::Ring3:
      ++out.ring3;
      break;
    }
  }
  return out;
}

const SiteExplanation *ProgramExplanation::siteAt(std::uint64_t address) const {
  const auto found =
      std::ranges::find(sites, address, &SiteExplanation::address);
  return found == sites.end() ? nullptr : &*found;
}

} // namespace kml
