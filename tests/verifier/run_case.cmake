# Runs kml-verify on one corpus file and compares the set of rule IDs it
# reports with the file's header:
#   // EXPECT: accept                 no findings, exit status 0
#   // EXPECT: KML-R003 KML-R009      exactly these rule IDs, exit status 1
#   // FLAGS: -O2                     extra compile flags (after the required ones)
#   // REQUIRED-FLAGS: no             leave out `kml-verify --required-flags`
#   // ARGS: --stack-limit=1024       extra kml-verify options
#   // EXPECT-NEXT-LINE: KML-R016     the next line has a finding of each
#                                     rule named (as clang-tidy's
#                                     CHECK-MESSAGES); a file with any of
#                                     these must have no other finding
# Usage: cmake -DTOOL=kml-verify -DSOURCE=file.c -P run_case.cmake
cmake_minimum_required(VERSION 3.25)

file(STRINGS "${SOURCE}" header REGEX "^// (EXPECT|FLAGS|REQUIRED-FLAGS|ARGS):")
set(expect "")
set(flags "")
set(args "")
set(use_required ON)
foreach(line IN LISTS header)
  if(line MATCHES "^// EXPECT:(.*)$")
    string(STRIP "${CMAKE_MATCH_1}" value)
    set(expect "${value}")
  elseif(line MATCHES "^// FLAGS:(.*)$")
    separate_arguments(value UNIX_COMMAND "${CMAKE_MATCH_1}")
    list(APPEND flags ${value})
  elseif(line MATCHES "^// ARGS:(.*)$")
    separate_arguments(value UNIX_COMMAND "${CMAKE_MATCH_1}")
    list(APPEND args ${value})
  elseif(line MATCHES "^// REQUIRED-FLAGS: *no")
    set(use_required OFF)
  endif()
endforeach()
if(expect STREQUAL "")
  message(FATAL_ERROR "${SOURCE}: no '// EXPECT:' header")
endif()

set(required "")
if(use_required)
  execute_process(COMMAND "${TOOL}" --required-flags OUTPUT_VARIABLE out
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "kml-verify --required-flags failed (${rc})")
  endif()
  separate_arguments(required UNIX_COMMAND "${out}")
endif()
if(SOURCE MATCHES "\\.c$")
  set(std -std=c17)
else()
  set(std -std=c++20)
endif()

execute_process(
  COMMAND "${TOOL}" ${args} "${SOURCE}" -- ${std} ${required} ${flags}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)

string(REGEX MATCHALL "\\[KML-R[0-9]+\\]" found "${out}")
list(TRANSFORM found REPLACE "[][]" "")
list(REMOVE_DUPLICATES found)
list(SORT found)
if(expect STREQUAL "accept")
  set(wanted "")
  set(wanted_rc 0)
else()
  separate_arguments(wanted UNIX_COMMAND "${expect}")
  list(REMOVE_DUPLICATES wanted)
  list(SORT wanted)
  set(wanted_rc 1)
endif()

if(NOT found STREQUAL wanted OR NOT rc EQUAL wanted_rc)
  string(REPLACE ";" " " found_s "${found}")
  string(REPLACE ";" " " wanted_s "${wanted}")
  message(FATAL_ERROR
    "${SOURCE}\n  expected: [${wanted_s}] exit ${wanted_rc}\n"
    "  got:      [${found_s}] exit ${rc}\n--- stdout\n${out}--- stderr\n${err}")
endif()
# Line-tied expectations: "LINE:ID" wanted, "LINE:ID" found.
file(READ "${SOURCE}" content)
string(REPLACE ";" "<semicolon>" content "${content}")
string(REGEX MATCHALL "[^\n]*\n" lines "${content}")
set(tied "")
set(number 0)
foreach(line IN LISTS lines)
  math(EXPR number "${number} + 1")
  if(line MATCHES "// EXPECT-NEXT-LINE:([^\n]*)")
    separate_arguments(ids UNIX_COMMAND "${CMAKE_MATCH_1}")
    math(EXPR next "${number} + 1")
    foreach(id IN LISTS ids)
      list(APPEND tied "${next}:${id}")
    endforeach()
  endif()
endforeach()
if(tied)
  string(REPLACE ";" "<semicolon>" out_lines "${out}")
  string(REGEX MATCHALL ":[0-9]+:[0-9]+: error: [^\n]*\\[KML-R[0-9]+\\]"
         messages "${out_lines}")
  set(at "")
  foreach(m IN LISTS messages)
    string(REGEX MATCH "^:([0-9]+):" _ "${m}")
    set(l "${CMAKE_MATCH_1}")
    string(REGEX MATCH "\\[(KML-R[0-9]+)\\]$" _ "${m}")
    list(APPEND at "${l}:${CMAKE_MATCH_1}")
  endforeach()
  list(REMOVE_DUPLICATES tied)
  list(REMOVE_DUPLICATES at)
  list(SORT tied)
  list(SORT at)
  if(NOT tied STREQUAL at)
    string(REPLACE ";" " " tied_s "${tied}")
    string(REPLACE ";" " " at_s "${at}")
    message(FATAL_ERROR
      "${SOURCE}\n  expected at lines: [${tied_s}]\n  got at lines:      [${at_s}]\n"
      "--- stdout\n${out}")
  endif()
endif()
message(STATUS "ok: [${expect}]")
