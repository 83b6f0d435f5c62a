// The text and JSON forms of a rewrite report.

#include "kml/rewrite/rewriter.hpp"

#include "kml/text.hpp"

#include <array>
#include <sstream>

namespace kml::rewrite {
namespace {

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += cat("\\u00", "0123456789abcdef"[(c >> 4) & 0xf],
                 "0123456789abcdef"[c & 0xf]);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) {
    return "100.0%";
  }
  const std::size_t tenths = (part * 1000 + whole / 2) / whole;
  return cat(tenths / 10, ".", tenths % 10, "%");
}

} // namespace

namespace {

struct LeaveReasonInfo {
  LeaveReason reason;
  const char *name;
  const char *text;
};

// In LeaveReason's order (checked below).
constexpr std::array kLeaveReasons{
    LeaveReasonInfo{LeaveReason::None, "none", ""},
    LeaveReasonInfo{LeaveReason::CancellationPoint, "cancellation-point",
                    "cancellation point range"},
    LeaveReasonInfo{LeaveReason::UnmapsOwnStack, "unmaps-own-stack",
                    "unmaps its own stack"},
    LeaveReasonInfo{LeaveReason::SigreturnTrampoline, "sigreturn-trampoline",
                    "rt_sigreturn trampoline (unwinders match its bytes)"},
    LeaveReasonInfo{LeaveReason::OutsideFunctions, "outside-functions",
                    "outside every function symbol"},
    LeaveReasonInfo{LeaveReason::NearUndecodable, "near-undecodable",
                    "near bytes that do not decode"},
    LeaveReasonInfo{LeaveReason::StubOutOfRange, "stub-out-of-range",
                    "stub segment out of rel32 range"},
    LeaveReasonInfo{LeaveReason::NeighbourUndecodable, "neighbour-undecodable",
                    "neighbour does not decode"},
    LeaveReasonInfo{LeaveReason::NeighbourIsSyscall, "neighbour-syscall",
                    "neighbour is another syscall"},
    LeaveReasonInfo{LeaveReason::NeighbourIsHalt, "neighbour-hlt",
                    "neighbour is a hlt"},
    LeaveReasonInfo{LeaveReason::NeighbourIsLandingPad, "neighbour-endbr",
                    "neighbour is an endbr landing pad"},
    LeaveReasonInfo{LeaveReason::NeighbourIsControlTransfer,
                    "neighbour-control-transfer",
                    "neighbour is a control transfer"},
    LeaveReasonInfo{LeaveReason::NeighbourIsRelativeBranch,
                    "neighbour-relative-branch",
                    "neighbour is a relative branch"},
    LeaveReasonInfo{LeaveReason::NeighbourChangesStack, "neighbour-changes-rsp",
                    "neighbour changes %rsp"},
    LeaveReasonInfo{LeaveReason::NeighbourUsesRip, "neighbour-uses-rip",
                    "neighbour uses %rip"},
    LeaveReasonInfo{LeaveReason::NeighbourReadsSyscallOutputs,
                    "neighbour-reads-rcx-r11",
                    "neighbour reads %rcx/%r11 after the syscall"},
    LeaveReasonInfo{LeaveReason::NeighbourHasUnusualRipOperand,
                    "neighbour-unusual-rip-operand",
                    "neighbour has an unusual RIP-relative operand"},
    LeaveReasonInfo{LeaveReason::RipOperandOutOfReach,
                    "rip-operand-out-of-reach",
                    "RIP-relative operand out of reach of the stubs"},
    LeaveReasonInfo{LeaveReason::OverlapsPreviousSite, "overlaps-previous-site",
                    "overlaps the replaced range of the previous site"},
    LeaveReasonInfo{LeaveReason::BranchTargetInside, "branch-target-inside",
                    "branch target inside the replaced range"},
    LeaveReasonInfo{LeaveReason::RelocatedAtLoad, "relocated-at-load",
                    "relocated at load time"},
    LeaveReasonInfo{LeaveReason::NotEnoughMovableBytes,
                    "not-enough-movable-bytes",
                    "not enough movable bytes around the site"},
    LeaveReasonInfo{LeaveReason::OverlapsEntryHook, "overlaps-entry-hook",
                    "overlaps the loader's entry hook"},
    LeaveReasonInfo{LeaveReason::NamedAsData, "named-as-data",
                    "named by a RIP-relative operand (data in code?)"},
    LeaveReasonInfo{LeaveReason::UnreachedByFlow, "unreached",
                    "no branch, call or fall-through reaches it (data in "
                    "code?)"},
};

constexpr bool leaveReasonsInOrder() {
  for (std::size_t i = 0; i < kLeaveReasons.size(); ++i) {
    if (static_cast<std::size_t>(kLeaveReasons[i].reason) != i) {
      return false;
    }
  }
  return kLeaveReasons.back().reason == LeaveReason::UnreachedByFlow;
}
static_assert(leaveReasonsInOrder(),
              "kLeaveReasons must list every LeaveReason in order");

const LeaveReasonInfo &infoOf(LeaveReason reason) {
  return kLeaveReasons.at(static_cast<std::size_t>(reason));
}

} // namespace

const char *leaveReasonName(LeaveReason reason) { return infoOf(reason).name; }

const char *leaveReasonText(LeaveReason reason) { return infoOf(reason).text; }

const char *entrySourceName(EntrySource source) {
  switch (source) {
  case EntrySource::Prologue:
    return "prologue";
  case EntrySource::EntryHook:
    return "entry hook";
  case EntrySource::Finder:
    return "finder";
  case EntrySource::None:
    return "none";
  }
  return "none";
}

std::string formatReport(const RewriteReport &report, const std::string &file) {
  std::ostringstream out;
  out << file << ": " << report.found() << " syscall sites, "
      << report.rewritten() << " rewritten ("
      << percent(report.rewritten(), report.found()) << "), " << report.left()
      << " left\n";
  if (report.entrySource == EntrySource::EntryHook) {
    out << "  the loader's entry point jumps to the prologue, which finds "
           "the direct entry\n";
  } else if (report.entrySource == EntrySource::Finder) {
    out << "  a library: its stubs find the direct entry the first time one "
           "runs (__libc_stack_end)\n";
  } else if (report.entrySource == EntrySource::None) {
    out << "  a library without __libc_stack_end: no stub can find the direct "
           "entry, every site takes the syscall slow path\n";
  }
  for (const auto &[reason, count] : report.leftByReason()) {
    out << "  left: " << count << " x " << leaveReasonText(reason) << "\n";
  }
  for (const SiteOutcome &site : report.sites) {
    if (!site.rewritten) {
      out << "  " << Hex{site.address};
      if (!site.symbol.empty()) {
        out << " <" << site.symbol << ">";
      }
      if (site.number) {
        out << " nr " << *site.number;
      }
      out << ": " << leaveReasonText(site.reason) << "\n";
    }
  }
  if (!report.halts.empty()) {
    out << file << ": " << report.halts.size() << " hlt, "
        << report.haltsReplaced() << " made a trap (0x06, SIGILL)\n";
  }
  for (const HaltOutcome &halt : report.halts) {
    if (!halt.replaced) {
      out << "  hlt " << Hex{halt.address};
      if (!halt.symbol.empty()) {
        out << " <" << halt.symbol << ">";
      }
      out << ": " << leaveReasonText(halt.reason) << "\n";
    }
  }
  return out.str();
}

std::string formatJson(const RewriteReport &report, const std::string &file) {
  std::ostringstream out;
  out << "{\"file\":" << jsonString(file) << ",\"found\":" << report.found()
      << ",\"rewritten\":" << report.rewritten()
      << ",\"left\":" << report.left()
      << ",\"instructions\":" << report.instructions
      << ",\"entry\":" << report.entry << ",\"slot\":" << report.slot
      << ",\"entry_source\":" << jsonString(entrySourceName(report.entrySource))
      << ",\"left_by_reason\":{";
  bool first = true;
  for (const auto &[reason, count] : report.leftByReason()) {
    out << (first ? "" : ",") << jsonString(leaveReasonName(reason)) << ":"
        << count;
    first = false;
  }
  out << "},\"sites\":[";
  first = true;
  for (const SiteOutcome &site : report.sites) {
    out << (first ? "" : ",") << "{\"address\":" << site.address
        << ",\"symbol\":" << jsonString(site.symbol) << ",\"number\":";
    if (site.number) {
      out << *site.number;
    } else {
      out << "null";
    }
    out << ",\"rewritten\":" << (site.rewritten ? "true" : "false");
    if (site.rewritten) {
      out << ",\"range\":[" << site.rangeStart << "," << site.rangeEnd
          << "],\"stub\":" << site.stub;
    } else {
      out << ",\"reason\":" << jsonString(leaveReasonName(site.reason))
          << ",\"reason_text\":" << jsonString(leaveReasonText(site.reason));
    }
    out << "}";
    first = false;
  }
  out << "],\"halts\":[";
  first = true;
  for (const HaltOutcome &halt : report.halts) {
    out << (first ? "" : ",") << "{\"address\":" << halt.address
        << ",\"symbol\":" << jsonString(halt.symbol)
        << ",\"replaced\":" << (halt.replaced ? "true" : "false");
    if (!halt.replaced) {
      out << ",\"reason\":" << jsonString(leaveReasonName(halt.reason))
          << ",\"reason_text\":" << jsonString(leaveReasonText(halt.reason));
    }
    out << "}";
    first = false;
  }
  out << "]}\n";
  return out.str();
}

} // namespace kml::rewrite
