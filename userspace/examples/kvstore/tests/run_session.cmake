# Runs APP with ARGS, feeding INPUT on stdin, and compares stdout with
# EXPECTED line for line. Used by the example apps' ctest sessions.
execute_process(COMMAND ${APP} ${ARGS}
  INPUT_FILE ${INPUT}
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 30)
file(READ ${EXPECTED} expected)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${APP} exited with ${rc}\nstderr: ${err}")
endif()
if(NOT out STREQUAL expected)
  message(FATAL_ERROR "unexpected output\n--- got:\n${out}\n--- expected:\n${expected}")
endif()
message(STATUS "session matches ${EXPECTED}")
