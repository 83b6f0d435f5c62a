#pragma once
// `kml explain`'s two outputs of a ProgramExplanation: text for people
// (sites with their instructions side by side, then the verdict and a
// summary) and JSON for tools (docs/explain.md has the schema).

#include "explain_model.hpp"

#include <string>

namespace kml {

std::string renderText(const ProgramExplanation &explanation);
std::string renderJson(const ProgramExplanation &explanation);
// A dynamic program: where its system calls are, and how to run it.
std::string renderText(const DynamicProgramExplanation &explanation);
std::string renderJson(const DynamicProgramExplanation &explanation);

// One site alone, as renderText prints it (for a tracer's report).
std::string renderSiteText(const SiteExplanation &site);

} // namespace kml
