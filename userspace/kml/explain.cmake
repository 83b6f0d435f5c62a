# `kml explain FILE` (docs/explain.md), included by CMakeLists.txt where
# the rewriter is built: it rewrites in memory, decodes instructions with
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
# The names table may already be there for `kml explain --trace`, which
# the guest's kml has too.
get_target_property(kml_explain_sources ${kml_explain_target} SOURCES)
if(NOT "syscall_names.cpp" IN_LIST kml_explain_sources)
  include(${CMAKE_CURRENT_LIST_DIR}/syscall_names.cmake)
  kml_generate_syscall_names(
    ${CMAKE_CURRENT_BINARY_DIR}/generated/kml/syscall_names_table.inc)
  target_sources(${kml_explain_target} PRIVATE syscall_names.cpp)
endif()
