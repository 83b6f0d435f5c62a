// The text and JSON forms of a rewrite report.

#include "kml/rewrite/rewriter.hpp"

#include "kml/text.hpp"

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
    out << "  left: " << count << " x " << reason << "\n";
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
      out << ": " << site.reason << "\n";
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
      out << ": " << halt.reason << "\n";
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
    out << (first ? "" : ",") << jsonString(reason) << ":" << count;
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
      out << ",\"reason\":" << jsonString(site.reason);
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
      out << ",\"reason\":" << jsonString(halt.reason);
    }
    out << "}";
    first = false;
  }
  out << "]}\n";
  return out.str();
}

} // namespace kml::rewrite
