# Writes OUTPUT, a C++ table of the x86-64 system call names and numbers
# (`{1, "write"},` a line), from the kernel headers' <asm/unistd_64.h>,
# so that `kml explain` names what the rewriter numbers without a list
# typed by hand. Run at configure time by CMakeLists.txt.
function(kml_generate_syscall_names output)
  find_file(KML_UNISTD_64_H NAMES asm/unistd_64.h
            PATHS /usr/include/x86_64-linux-gnu /usr/include
            NO_DEFAULT_PATH)
  if(NOT KML_UNISTD_64_H)
    message(FATAL_ERROR "asm/unistd_64.h not found (linux-libc-dev): "
                        "kml explain names system calls from it")
  endif()
  file(STRINGS ${KML_UNISTD_64_H} defines
       REGEX "^#define __NR_[a-z0-9_]+ [0-9]+$")
  set(table "// Generated from ${KML_UNISTD_64_H} by syscall_names.cmake.\n")
  foreach(line IN LISTS defines)
    string(REGEX REPLACE "^#define __NR_([a-z0-9_]+) ([0-9]+)$"
                         "{\\2, \"\\1\"}," entry "${line}")
    string(APPEND table "${entry}\n")
  endforeach()
  file(CONFIGURE OUTPUT ${output} CONTENT "${table}" @ONLY)
endfunction()
