// KML-R008's arithmetic: a whole-program call graph with per-function frame
// sizes, reduced to strongly connected components so that annotated
// recursion has a finite cost. Free of Clang so it can be unit tested.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kml::verify {

struct StackFunction {
  std::string displayName;
  std::uint64_t frame = 0;   // bytes, from -fstack-usage
  bool dynamicFrame = false; // VLA/alloca: no static bound
  bool defined = false;      // a body exists somewhere in the program
  std::optional<std::uint64_t> recursionBound;
  // Where to report (the definition, or the first declaration seen).
  std::string file;
  unsigned line = 0, column = 0;
  bool application = false; // declared in code the rules apply to

  static StackFunction named(std::string name) {
    StackFunction f;
    f.displayName = std::move(name);
    return f;
  }
};

struct StackPath {
  std::uint64_t bytes = 0;
  bool unbounded = false;         // dynamic frame on the worst path
  std::vector<std::string> names; // root first
};

class StackGraph {
public:
  explicit StackGraph(std::uint64_t externalCallBudget)
      : externalBudget_(externalCallBudget) {}

  /// Adds or merges a function (the same inline function appears in several
  /// TUs; the largest frame wins).
  void addFunction(const std::string &key, const StackFunction &f);
  void addCall(const std::string &caller, const std::string &callee);

  const std::map<std::string, StackFunction> &functions() const {
    return nodes_;
  }

  /// Functions that sit on a call cycle but carry no recursion bound.
  std::vector<std::string> unboundedRecursion();
  /// Defined functions nobody in the program calls: the entry points.
  std::vector<std::string> roots() const;
  /// Worst-case stack depth starting at \p key.
  StackPath worstCase(const std::string &key);

private:
  void computeSccs();
  std::uint64_t sccCost(std::size_t scc) const;
  /// Worst cost from a component down; the path is kept as a successor
  /// link so long chains stay linear.
  struct SccWorst {
    std::uint64_t bytes = 0;
    bool unbounded = false;
    std::optional<std::size_t> next;
  };
  const SccWorst &sccWorst(std::size_t root);
  std::string sccLabel(std::size_t scc) const;

  std::uint64_t externalBudget_;
  std::map<std::string, StackFunction> nodes_;
  std::map<std::string, std::set<std::string>> edges_;
  bool dirty_ = true;
  std::map<std::string, std::size_t> sccOf_;
  std::vector<std::vector<std::string>> sccs_;
  std::vector<bool> sccRecursive_;
  std::map<std::size_t, SccWorst> memo_;
};

} // namespace kml::verify
