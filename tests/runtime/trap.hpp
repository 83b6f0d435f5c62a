// Shared by the runtime tests: what a failed kml check looks like from the
// outside. __builtin_trap is `ud2` on x86-64 (SIGILL); other targets may
// raise SIGTRAP, which is equally acceptable.
#pragma once

#include <csignal>

#include <gtest/gtest.h>

inline bool killed_by_trap(int status) {
  return WIFSIGNALED(status) &&
         (WTERMSIG(status) == SIGILL || WTERMSIG(status) == SIGTRAP);
}

// EXPECT_DEATH with a trap check instead of a stderr pattern.
#define EXPECT_TRAP(statement) EXPECT_EXIT(statement, killed_by_trap, "")
