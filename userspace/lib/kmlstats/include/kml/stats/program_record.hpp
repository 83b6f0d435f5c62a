#pragma once
// One line of /sys/kernel/kml/programs: how the system calls of one
// ring-0 program (an exec'd image and the processes forked from it)
// reached the kernel. docs/syscall-shim.md, "Counting the paths".

#include <cstdint>
#include <string>
#include <vector>

namespace kml::stats {

// A `syscall` instruction executed at ring 0 (one the rewriter left) and
// how often it ran.
struct SlowSite {
  std::uint64_t address = 0;
  std::uint64_t count = 0;
  bool operator==(const SlowSite &) const = default;
};

struct ProgramRecord {
  std::uint64_t seq = 0; // exec order, 1, 2, 3, ...
  std::int64_t pid = 0;
  std::string state;           // "running" or "exited"; kept as text so that a
                               // state a newer kernel adds still reads
  std::uint64_t direct = 0;    // through the direct entry (rewritten sites)
  std::uint64_t bypass = 0;    // answered by the bypass entry
  std::uint64_t slow = 0;      // `syscall` instructions at ring 0
  std::uint64_t elsewhere = 0; // slow calls beyond the listed sites
  std::vector<SlowSite> sites; // up to 8 slow sites, by address hash
  std::string comm;
  bool operator==(const ProgramRecord &) const = default;
};

} // namespace kml::stats
