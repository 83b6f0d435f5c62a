# `kml explain` (docs/explain.md), included by CMakeLists.txt where the
# rewriter is built: it rewrites in memory, decodes instructions with
# Zydis as the rewriter does, and names system calls from the kernel
# headers.
find_package(zydis REQUIRED)
# The subcommands live in kml_cli when there is one (the tests link it).
if(TARGET kml_cli)
  set(kml_explain_target kml_cli)
else()
  set(kml_explain_target kml)
endif()
target_sources(${kml_explain_target} PRIVATE cmd_explain.cpp
  explain_model.cpp explain_render.cpp image_memory.cpp kernel_policy.cpp
  program_explainer.cpp program_verdict.cpp rewritten_image.cpp
  site_explainer.cpp x86_decoder.cpp)
target_link_libraries(${kml_explain_target} PRIVATE Zydis::Zydis)
