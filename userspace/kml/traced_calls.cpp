#include "traced_calls.hpp"

#include <algorithm>

namespace kml {
namespace {

std::int64_t numberOr(const TraceRecord &record, std::string_view key) {
  return record.number(key).value_or(0);
}

} // namespace

std::size_t TracedCalls::count(TracedPath path) const {
  return static_cast<std::size_t>(
      std::count_if(calls.begin(), calls.end(), [path](const TracedCall &call) {
        return call.path == path;
      }));
}

std::vector<std::pair<std::uint64_t, std::size_t>>
TracedCalls::slowSites() const {
  std::map<std::uint64_t, std::size_t> bySite;
  for (const TracedCall &call : calls) {
    if (call.path == TracedPath::Slow) {
      ++bySite[call.site];
    }
  }
  std::vector<std::pair<std::uint64_t, std::size_t>> sites(bySite.begin(),
                                                           bySite.end());
  std::ranges::stable_sort(
      sites, [](const auto &a, const auto &b) { return a.second > b.second; });
  return sites;
}

TracedCalls collectTracedCalls(const std::vector<TraceRecord> &records) {
  TracedCalls traced;
  // Each task's call that has not returned yet, by index into calls.
  std::map<pid_t, std::size_t> open;
  for (const TraceRecord &record : records) {
    if (record.event == "kml_direct_syscall" ||
        record.event == "kml_slow_syscall") {
      TracedCall call;
      call.timeNs = record.timeNs;
      call.pid = record.pid;
      call.comm = record.comm;
      call.path = record.event == "kml_slow_syscall" ? TracedPath::Slow
                                                     : TracedPath::Direct;
      call.number = numberOr(record, "nr");
      call.site = static_cast<std::uint64_t>(numberOr(record, "site"));
      open.insert_or_assign(record.pid, traced.calls.size());
      traced.calls.push_back(std::move(call));
    } else if (record.event == "sys_exit") {
      const auto found = open.find(record.pid);
      if (found == open.end()) {
        continue;
      }
      TracedCall &call = traced.calls[found->second];
      open.erase(found);
      if (record.number("nr") != call.number) {
        continue; // not this call's exit: one in between was not traced
      }
      call.result = record.number("ret");
      call.costNs = record.timeNs - call.timeNs;
    } else if (record.event == "kml_exec") {
      traced.execs.push_back({record.pid, std::string(record.field("file")),
                              std::string(record.field("verdict")),
                              std::string(record.field("reason")),
                              std::string(record.field("assurance")),
                              numberOr(record, "err")});
    } else if (record.event == "kml_refused") {
      traced.refusals.push_back({record.pid, std::string(record.field("kind")),
                                 std::string(record.field("name")),
                                 std::string(record.field("reason")),
                                 std::string(record.field("detail")),
                                 numberOr(record, "err")});
    }
  }
  return traced;
}

} // namespace kml
