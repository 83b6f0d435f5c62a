// Every function KML-R002 admits has been looked at for what it writes:
// a byte writer (a pointer and a length) must have its length checked by
// KML-R017. Adding a function to the allowlist fails this test until it is
// put in one of the lists below.
#include "rules/Rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string_view>

using namespace kml::verify;

namespace {

// Writes bytes through a pointer argument, with a length argument.
const std::set<std::string_view> kByteWriters = {
    "memcpy",   "memmove",   "memset", "read", "pread",
    "snprintf", "vsnprintf", "fgets",  "fread"};

// Writes nothing through a pointer, writes one typed object (the type says
// its size: clock_gettime's timespec, strtol's end pointer, time's time_t),
// or only reads through its pointers.
const std::set<std::string_view> kNoByteWrites = {"_Exit",
                                                  "__assert_fail",
                                                  "__ctype_b_loc",
                                                  "__ctype_tolower_loc",
                                                  "__ctype_toupper_loc",
                                                  "__errno_location",
                                                  "__rdtsc",
                                                  "_exit",
                                                  "_mm_lfence",
                                                  "_mm_mfence",
                                                  "_mm_pause",
                                                  "_mm_sfence",
                                                  "abort",
                                                  "abs",
                                                  "atoi",
                                                  "atol",
                                                  "ceil",
                                                  "clock_gettime",
                                                  "close",
                                                  "cos",
                                                  "exit",
                                                  "exp",
                                                  "fabs",
                                                  "fabsf",
                                                  "fclose",
                                                  "feof",
                                                  "ferror",
                                                  "fflush",
                                                  "fopen",
                                                  "floor",
                                                  "fmax",
                                                  "fmin",
                                                  "fprintf",
                                                  "fputc",
                                                  "fputs",
                                                  "fwrite",
                                                  "getegid",
                                                  "geteuid",
                                                  "getgid",
                                                  "getpid",
                                                  "getppid",
                                                  "gettid",
                                                  "gettimeofday",
                                                  "getuid",
                                                  "isalnum",
                                                  "isalpha",
                                                  "isdigit",
                                                  "islower",
                                                  "isprint",
                                                  "ispunct",
                                                  "isspace",
                                                  "isupper",
                                                  "isxdigit",
                                                  "labs",
                                                  "llabs",
                                                  "log",
                                                  "lseek",
                                                  "memchr",
                                                  "memcmp",
                                                  "nanosleep",
                                                  "perror",
                                                  "pow",
                                                  "printf",
                                                  "putc",
                                                  "putchar",
                                                  "puts",
                                                  "pwrite",
                                                  "rand",
                                                  "round",
                                                  "sched_yield",
                                                  "sin",
                                                  "sleep",
                                                  "sqrt",
                                                  "sqrtf",
                                                  "srand",
                                                  "std::abs",
                                                  "std::addressof",
                                                  "std::begin",
                                                  "std::bit_cast",
                                                  "std::clamp",
                                                  "std::data",
                                                  "std::end",
                                                  "std::exchange",
                                                  "std::forward",
                                                  "std::is_constant_evaluated",
                                                  "std::max",
                                                  "std::min",
                                                  "std::move",
                                                  "std::size",
                                                  "std::swap",
                                                  "std::to_underlying",
                                                  "strchr",
                                                  "strcmp",
                                                  "strerror",
                                                  "strlen",
                                                  "strncmp",
                                                  "strnlen",
                                                  "strrchr",
                                                  "strstr",
                                                  "strtol",
                                                  "strtoll",
                                                  "strtoul",
                                                  "strtoull",
                                                  "tan",
                                                  "time",
                                                  "tolower",
                                                  "toupper",
                                                  "usleep",
                                                  "vfprintf",
                                                  "vprintf",
                                                  "write"};

} // namespace

TEST(Allowlist, EveryAdmittedFunctionIsClassifiedByWhatItWrites) {
  for (std::string_view name : externalAllowlist())
    EXPECT_TRUE(kByteWriters.count(name) + kNoByteWrites.count(name) == 1)
        << name << " is allowlisted but not classified here";
}

TEST(Allowlist, EveryAdmittedByteWriterHasItsLengthChecked) {
  for (std::string_view name : kByteWriters) {
    EXPECT_TRUE(isAllowlistedExternal(name)) << name;
    EXPECT_TRUE(isCheckedByteWriter(name))
        << name << " writes bytes but KML-R017 does not check its length";
  }
}

TEST(Allowlist, NoClassifiedNonWriterIsAByteWriter) {
  for (std::string_view name : kNoByteWrites)
    EXPECT_FALSE(isCheckedByteWriter(name)) << name;
}
