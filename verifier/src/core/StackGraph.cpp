#include "core/StackGraph.hpp"

#include <algorithm>
#include <functional>

namespace kml::verify {

void StackGraph::addFunction(const std::string &key, const StackFunction &f) {
  dirty_ = true;
  auto [it, inserted] = nodes_.try_emplace(key, f);
  if (inserted)
    return;
  StackFunction &n = it->second;
  n.frame = std::max(n.frame, f.frame);
  n.dynamicFrame |= f.dynamicFrame;
  if (f.recursionBound)
    n.recursionBound =
        std::max(n.recursionBound.value_or(0), *f.recursionBound);
  if (f.defined && !n.defined) {
    n.defined = true;
    n.file = f.file;
    n.line = f.line;
    n.column = f.column;
  }
  n.application |= f.application;
  if (n.displayName.empty())
    n.displayName = f.displayName;
}

void StackGraph::addCall(const std::string &caller, const std::string &callee) {
  dirty_ = true;
  nodes_.try_emplace(caller, StackFunction::named(caller));
  nodes_.try_emplace(callee, StackFunction::named(callee));
  edges_[caller].insert(callee);
}

// Tarjan's algorithm, with an explicit stack so that a very deep call chain
// in a hostile input cannot overflow ours.
void StackGraph::computeSccs() {
  if (!dirty_)
    return;
  dirty_ = false;
  sccOf_.clear();
  sccs_.clear();
  sccRecursive_.clear();
  memo_.clear();

  std::map<std::string, std::size_t> index;
  std::map<std::string, std::size_t> low;
  std::vector<std::string> stack;
  std::set<std::string> onStack;
  std::size_t counter = 0;
  static const std::set<std::string> kNoEdges;
  auto succ = [&](const std::string &n) -> const std::set<std::string> & {
    auto it = edges_.find(n);
    return it == edges_.end() ? kNoEdges : it->second;
  };

  struct Frame {
    std::string node;
    std::set<std::string>::const_iterator next;
  };
  for (const auto &[start, unused] : nodes_) {
    if (index.contains(start))
      continue;
    std::vector<Frame> work;
    auto push = [&](const std::string &n) {
      index[n] = low[n] = counter++;
      stack.push_back(n);
      onStack.insert(n);
      work.push_back({n, succ(n).begin()});
    };
    push(start);
    while (!work.empty()) {
      Frame &fr = work.back();
      const auto &out = succ(fr.node);
      if (fr.next != out.end()) {
        const std::string &w = *fr.next++;
        if (!index.contains(w))
          push(w);
        else if (onStack.contains(w))
          low[fr.node] = std::min(low[fr.node], index[w]);
        continue;
      }
      std::string v = fr.node;
      work.pop_back();
      if (!work.empty())
        low[work.back().node] = std::min(low[work.back().node], low[v]);
      if (low[v] == index[v]) {
        std::vector<std::string> comp;
        std::string w;
        do {
          w = stack.back();
          stack.pop_back();
          onStack.erase(w);
          sccOf_[w] = sccs_.size();
          comp.push_back(w);
        } while (w != v);
        bool recursive = comp.size() > 1 || succ(v).contains(v);
        sccs_.push_back(std::move(comp));
        sccRecursive_.push_back(recursive);
      }
    }
  }
}

std::vector<std::string> StackGraph::unboundedRecursion() {
  computeSccs();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < sccs_.size(); ++i)
    if (sccRecursive_[i])
      for (const std::string &n : sccs_[i])
        if (!nodes_.at(n).recursionBound)
          out.push_back(n);
  return out;
}

std::vector<std::string> StackGraph::roots() const {
  std::set<std::string> called;
  for (const auto &[caller, callees] : edges_)
    for (const std::string &c : callees)
      if (c != caller)
        called.insert(c);
  std::vector<std::string> out;
  for (const auto &[key, f] : nodes_)
    if (f.defined && f.application && (!called.contains(key) || key == "main"))
      out.push_back(key);
  return out;
}

// At most `bound` activations of each member are live at once, so a
// recursive component costs the sum of bound x frame. Unannotated members
// count once; KML-R008 reports them separately.
std::uint64_t StackGraph::sccCost(std::size_t scc) const {
  std::uint64_t total = 0;
  for (const std::string &n : sccs_[scc]) {
    const StackFunction &f = nodes_.at(n);
    std::uint64_t frame = f.defined ? f.frame : externalBudget_;
    std::uint64_t times = sccRecursive_[scc] ? f.recursionBound.value_or(1) : 1;
    total += frame * times;
  }
  return total;
}

std::string StackGraph::sccLabel(std::size_t scc) const {
  std::string label;
  for (const std::string &n : sccs_[scc]) {
    const StackFunction &f = nodes_.at(n);
    if (!label.empty())
      label += "<->";
    label += f.displayName.empty() ? n : f.displayName;
    if (sccRecursive_[scc])
      label += " x" + std::to_string(f.recursionBound.value_or(1));
  }
  return label;
}

const StackGraph::SccWorst &StackGraph::sccWorst(std::size_t root) {
  // Iterative post-order over the condensation (a DAG).
  std::vector<std::pair<std::size_t, bool>> work{{root, false}};
  while (!work.empty()) {
    auto [scc, expanded] = work.back();
    work.pop_back();
    if (memo_.contains(scc))
      continue;
    std::set<std::size_t> next;
    for (const std::string &n : sccs_[scc])
      if (auto it = edges_.find(n); it != edges_.end())
        for (const std::string &c : it->second)
          if (sccOf_.at(c) != scc)
            next.insert(sccOf_.at(c));
    if (!expanded) {
      work.emplace_back(scc, true);
      for (std::size_t s : next)
        if (!memo_.contains(s))
          work.emplace_back(s, false);
      continue;
    }
    SccWorst mine;
    std::optional<std::size_t> best;
    for (std::size_t s : next) {
      const SccWorst &p = memo_.at(s);
      if (!best) {
        best = s;
        continue;
      }
      const SccWorst &b = memo_.at(*best);
      if ((p.unbounded && !b.unbounded) ||
          (p.unbounded == b.unbounded && p.bytes > b.bytes))
        best = s;
    }
    mine.bytes = sccCost(scc);
    for (const std::string &n : sccs_[scc])
      mine.unbounded |= nodes_.at(n).dynamicFrame;
    if (best) {
      mine.bytes += memo_.at(*best).bytes;
      mine.unbounded |= memo_.at(*best).unbounded;
      mine.next = best;
    }
    memo_[scc] = mine;
  }
  return memo_.at(root);
}

StackPath StackGraph::worstCase(const std::string &key) {
  computeSccs();
  auto it = sccOf_.find(key);
  if (it == sccOf_.end())
    return {};
  const SccWorst &w = sccWorst(it->second);
  StackPath path{w.bytes, w.unbounded, {}};
  for (std::optional<std::size_t> s = it->second; s; s = memo_.at(*s).next)
    path.names.push_back(sccLabel(*s));
  return path;
}

} // namespace kml::verify
