// Putting it together: find and plan the sites, lay out the two segments
// the rewriter adds, write the stubs and the prologue, patch the sites,
// and mark the result (docs/syscall-shim.md).

#include "kml/rewrite/rewriter.hpp"

#include "code_map.hpp"
#include "elf_view.hpp"
#include "entry_hook.hpp"
#include "frame_info.hpp"
#include "halt_planner.hpp"
#include "site_planner.hpp"
#include "stub_writer.hpp"

#include "kml/elf_error.hpp"
#include "kml/marker_edit.hpp"
#include "kml/section_table.hpp"
#include "kml/text.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace kml::rewrite {
namespace {

constexpr std::uint64_t kPage = 0x1000;
// End of the x86-64 user address space (4-level paging).
constexpr std::uint64_t kUserSpaceEnd = 0x7ffffffff000;

std::uint64_t alignUp(std::uint64_t value, std::uint64_t align) {
  return (value + align - 1) & ~(align - 1);
}

// Where the added segments go. Both sit above every existing segment with
// an unused page in between (as `kml mark` does, for binutils' sake):
//
//   data (RW):  the entry slot, the prologue's save area, then the moved
//               program header table (it must stay mapped: AT_PHDR), then
//               the stubs' FDEs and the new .eh_frame_hdr (frame_info.hpp)
//   code (RX):  the prologue, then one stub per rewritten site
//
// The data segment comes first so that its addresses are known before the
// code is written. File offsets are page aligned, like the addresses.
struct Layout {
  std::uint64_t dataOffset = 0;
  std::uint64_t dataAddress = 0;
  std::uint64_t tableOffset = 0;
  std::uint64_t tableAddress = 0;
  std::uint64_t tableSize = 0;
  std::uint64_t ehOffset = 0; // unwind tables, `ehSize` bytes
  std::uint64_t ehAddress = 0;
  std::uint64_t codeOffset = 0;
  std::uint64_t codeAddress = 0;
  SlotLayout slots;

  Layout(const ElfImage &image, std::uint64_t ehSize, bool addEhHeader) {
    std::uint64_t highestEnd = 0;
    for (const Elf64_Phdr &ph : image.programHeaders()) {
      if (ph.p_type == PT_LOAD) {
        highestEnd = std::max(highestEnd, ph.p_vaddr + ph.p_memsz);
      }
    }
    dataOffset = alignUp(image.bytes().size(), kPage);
    dataAddress = alignUp(highestEnd, kPage) + kPage;
    slots = SlotLayout(dataAddress);
    tableOffset = dataOffset + SlotLayout::kSize;
    tableAddress = dataAddress + SlotLayout::kSize;
    tableSize = (image.programHeaders().size() + 2 + (addEhHeader ? 1 : 0)) *
                sizeof(Elf64_Phdr);
    ehOffset = alignUp(tableOffset + tableSize, 8);
    ehAddress = alignUp(tableAddress + tableSize, 8);
    const std::uint64_t dataSize =
        alignUp(ehAddress + ehSize - dataAddress, kPage);
    codeOffset = dataOffset + dataSize;
    codeAddress = dataAddress + dataSize;
  }
};

std::uint64_t fileOffsetOf(const ElfImage &image, std::uint64_t address) {
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_LOAD && address >= ph.p_vaddr &&
        address - ph.p_vaddr < ph.p_filesz) {
      return ph.p_offset + (address - ph.p_vaddr);
    }
  }
  throw ElfError(ElfErrorKind::Malformed, "site outside the file's segments");
}

// The old program headers with PT_PHDR moved to the new table and the two
// new PT_LOADs after the last PT_LOAD (keeping PT_LOADs sorted).
// PT_GNU_EH_FRAME moves to the new .eh_frame_hdr when there is one.
std::vector<Elf64_Phdr>
newProgramHeaders(const ElfImage &image, const Layout &layout,
                  std::uint64_t codeSize, std::uint64_t dataSize,
                  std::uint64_t hdrAddress, std::uint64_t hdrSize) {
  Elf64_Phdr data{};
  data.p_type = PT_LOAD;
  data.p_flags = PF_R | PF_W;
  data.p_offset = layout.dataOffset;
  data.p_vaddr = data.p_paddr = layout.dataAddress;
  data.p_filesz = data.p_memsz = dataSize;
  data.p_align = kPage;
  Elf64_Phdr code{};
  code.p_type = PT_LOAD;
  code.p_flags = PF_R | PF_X;
  code.p_offset = layout.codeOffset;
  code.p_vaddr = code.p_paddr = layout.codeAddress;
  code.p_filesz = code.p_memsz = codeSize;
  code.p_align = kPage;

  const auto old = image.programHeaders();
  std::size_t lastLoad = 0;
  for (std::size_t i = 0; i < old.size(); ++i) {
    if (old[i].p_type == PT_LOAD) {
      lastLoad = i;
    }
  }
  std::vector<Elf64_Phdr> headers;
  for (std::size_t i = 0; i < old.size(); ++i) {
    Elf64_Phdr ph = old[i];
    if (ph.p_type == PT_GNU_EH_FRAME && hdrAddress != 0) {
      ph.p_offset = layout.ehOffset + (hdrAddress - layout.ehAddress);
      ph.p_vaddr = ph.p_paddr = hdrAddress;
      ph.p_filesz = ph.p_memsz = hdrSize;
    }
    if (ph.p_type == PT_PHDR) {
      ph.p_offset = layout.tableOffset;
      ph.p_vaddr = ph.p_paddr = layout.tableAddress;
      ph.p_filesz = ph.p_memsz = layout.tableSize;
    }
    headers.push_back(ph);
    if (i == lastLoad) {
      headers.push_back(data);
      headers.push_back(code);
    }
  }
  const bool hadEhHeader = std::ranges::any_of(
      old, [](const Elf64_Phdr &ph) { return ph.p_type == PT_GNU_EH_FRAME; });
  if (hdrAddress != 0 && !hadEhHeader) {
    Elf64_Phdr eh{};
    eh.p_type = PT_GNU_EH_FRAME;
    eh.p_flags = PF_R;
    eh.p_offset = layout.ehOffset + (hdrAddress - layout.ehAddress);
    eh.p_vaddr = eh.p_paddr = hdrAddress;
    eh.p_filesz = eh.p_memsz = hdrSize;
    eh.p_align = 4;
    headers.push_back(eh);
  }
  return headers;
}

// Names the added segments as sections `.kml.data` and `.kml.text`
// (kml/section_table.hpp): binutils keep them, and the binary validator
// decodes the stubs as the code they are. A file without usable section
// headers goes without.
void describeSegments(std::vector<std::byte> &bytes, Elf64_Ehdr &ehdr,
                      const Layout &layout, std::uint64_t codeSize) {
  const auto allocated = [](std::string_view name, Elf64_Xword flags,
                            std::uint64_t address, std::uint64_t offset,
                            std::uint64_t size, std::uint64_t align) {
    AddedSection section{name, {}};
    section.header.sh_type = SHT_PROGBITS;
    section.header.sh_flags = SHF_ALLOC | flags;
    section.header.sh_addr = address;
    section.header.sh_offset = offset;
    section.header.sh_size = size;
    section.header.sh_addralign = align;
    return section;
  };
  const std::array added{allocated(".kml.data", SHF_WRITE, layout.dataAddress,
                                   layout.dataOffset, SlotLayout::kSize, 8),
                         allocated(".kml.text", SHF_EXECINSTR,
                                   layout.codeAddress, layout.codeOffset,
                                   codeSize, 16)};
  appendSections(bytes, ehdr, added);
}

// A shared object's relocations and GOT entries are read from its
// section headers: without them no relocated byte would be known.
void checkSharedObjectSections(const ElfImage &image, const ElfView &elf) {
  if (image.kind() != ImageKind::StaticProgram && !elf.hasSections()) {
    throw ElfError(ElfErrorKind::Malformed,
                   "a shared object without section headers: its "
                   "relocations cannot be read");
  }
}

// A second rewrite would treat the stubs' fallback `syscall`s as sites.
void checkNotRewritten(const ElfView &elf) {
  if (elf.hasSection(".kml.text")) {
    throw ElfError(ElfErrorKind::NotExecutable,
                   "already rewritten (has a .kml.text section)");
  }
}

// The prologue jumps to the original entry: it must be code. A library's
// entry (if any) is left alone.
void checkEntry(const ElfImage &image) {
  if (image.kind() == ImageKind::Library) {
    return;
  }
  const std::uint64_t entry = image.header().e_entry;
  for (const Elf64_Phdr &ph : image.programHeaders()) {
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && entry >= ph.p_vaddr &&
        entry - ph.p_vaddr < ph.p_filesz) {
      return;
    }
  }
  throw ElfError(
      ElfErrorKind::Malformed,
      cat("entry point ", Hex{entry}, " is not in an executable segment"));
}

RewriteReport collect(const std::vector<PlannedSite> &planned,
                      std::vector<HaltOutcome> halts, const CodeMap &code) {
  RewriteReport report;
  report.halts = std::move(halts);
  report.instructions = code.instructions().size();
  report.codeBytes = code.codeBytes();
  for (const PlannedSite &site : planned) {
    report.sites.push_back(site.outcome);
  }
  return report;
}

} // namespace

std::size_t RewriteReport::rewritten() const {
  return static_cast<std::size_t>(std::ranges::count_if(
      sites, [](const SiteOutcome &s) { return s.rewritten; }));
}

std::size_t RewriteReport::haltsReplaced() const {
  return static_cast<std::size_t>(std::ranges::count_if(
      halts, [](const HaltOutcome &h) { return h.replaced; }));
}

std::map<LeaveReason, std::size_t> RewriteReport::leftByReason() const {
  std::map<LeaveReason, std::size_t> reasons;
  for (const SiteOutcome &site : sites) {
    if (!site.rewritten) {
      ++reasons[site.reason];
    }
  }
  return reasons;
}

namespace {

// A loader's entry hook and a site must not replace the same bytes: the
// site stays (entry_hook.hpp). Planned first, the hook wins.
std::optional<EntryHook>
planHookAndLeaveSites(const ElfImage &image, const ElfView &elf,
                      const CodeMap &code, std::vector<PlannedSite> &sites) {
  if (image.kind() != ImageKind::Loader) {
    return std::nullopt;
  }
  EntryHook hook = planEntryHook(elf, code, image.header().e_entry);
  for (PlannedSite &site : sites) {
    if (site.plan && site.plan->start < hook.end &&
        hook.start < site.plan->end) {
      site.plan.reset();
      site.outcome.rewritten = false;
      site.outcome.rangeStart = site.outcome.rangeEnd = 0;
      site.outcome.reason = LeaveReason::OverlapsEntryHook;
    }
  }
  return hook;
}

// How this file's stubs will learn the direct entry (rewriter.hpp).
EntrySource entrySourceOf(const ElfImage &image, const ElfView &elf) {
  switch (image.kind()) {
  case ImageKind::StaticProgram:
    return EntrySource::Prologue;
  case ImageKind::Loader:
    return EntrySource::EntryHook;
  case ImageKind::Library:
    break;
  }
  return elf.gotEntryOf("__libc_stack_end") ? EntrySource::Finder
                                            : EntrySource::None;
}

} // namespace

RewriteReport analyseImage(const ElfImage &image) {
  checkEntry(image);
  const Layout layout(image, 0, false);
  const ElfView elf(image);
  checkNotRewritten(elf);
  checkSharedObjectSections(image, elf);
  const CodeMap code(elf);
  SitePlanner planner(elf, code, layout.codeAddress);
  std::vector<PlannedSite> planned = planner.planAll();
  planHookAndLeaveSites(image, elf, code, planned);
  RewriteReport report = collect(planned, planHalts(elf, code), code);
  report.entrySource = entrySourceOf(image, elf);
  return report;
}

namespace {
RewriteResult rewriteChecked(const ElfImage &image,
                             const RewriteOptions &options);
} // namespace

RewriteResult rewriteImage(const ElfImage &image,
                           const RewriteOptions &options) {
  try {
    return rewriteChecked(image, options);
  } catch (const std::range_error &error) {
    // The planner keeps every site and moved operand within reach; only
    // an inconsistent file (an entry point far from every segment) ends
    // up here.
    throw ElfError(ElfErrorKind::Malformed,
                   cat("cannot reach the added code: ", error.what()));
  }
}

namespace {

RewriteResult rewriteChecked(const ElfImage &image,
                             const RewriteOptions &options) {
  checkEntry(image);
  const ElfView elf(image);
  checkNotRewritten(elf);
  checkSharedObjectSections(image, elf);
  const CodeMap code(elf);
  // The stubs go a little higher once the unwind tables are sized; the
  // planner's reach checks leave room for that.
  SitePlanner planner(elf, code, Layout(image, 0, false).codeAddress);
  std::vector<PlannedSite> planned = planner.planAll();
  const std::optional<EntryHook> hook =
      planHookAndLeaveSites(image, elf, code, planned);

  // One FDE per stub whose site has unwind information.
  const FrameInfo frames(elf, image);
  std::vector<std::optional<StubFrame>> stubFrames(planned.size());
  std::size_t fdeBytes = 0;
  std::size_t fdeCount = 0;
  for (std::size_t i = 0; i < planned.size() && frames.available(); ++i) {
    const std::optional<SitePlan> &plan = planned[i].plan;
    std::optional<StubFrame> &frame = stubFrames[i];
    if (plan) {
      frame = frames.frameAt(plan->syscall);
      if (frame) {
        fdeBytes += frame->size();
        ++fdeCount;
      }
    }
  }
  const std::uint64_t ehSize =
      frames.available() ? frames.tableSize(fdeBytes, fdeCount) : 0;
  const Layout layout(image, ehSize, frames.needsHeader());

  std::vector<std::byte> bytes(image.bytes().begin(), image.bytes().end());
  CodeWriter out(layout.codeAddress);
  std::optional<std::uint64_t> fallback;
  if (options.testEntry) {
    fallback = writeTestEntry(out, layout.slots);
    out.alignTo(16);
  }
  // A program runs the prologue first, a loader from its hooked entry
  // (entry_hook.hpp), and a library's stubs look for the entry once
  // (writeFinder): a library is entered only through its functions.
  std::optional<std::uint64_t> prologue;
  std::optional<std::uint64_t> finder;
  const EntrySource source = entrySourceOf(image, elf);
  switch (source) {
  case EntrySource::Prologue:
    prologue = out.here();
    writePrologue(out, layout.slots, {}, image.header().e_entry, fallback);
    break;
  case EntrySource::EntryHook: {
    // planHookAndLeaveSites planned it: a loader always has its hook.
    if (!hook) {
      throw std::logic_error("a loader without its entry hook");
    }
    const std::uint64_t start = out.here();
    prologue = start;
    writePrologue(out, layout.slots, hook->moved, hook->end, fallback);
    CodeWriter jump(hook->start);
    jump.emit({0xe9});
    jump.rel32(start);
    while (jump.here() < hook->end) {
      jump.emit({0xcc}); // never reached: nothing branches into the range
    }
    std::memcpy(bytes.data() + fileOffsetOf(image, hook->start),
                jump.bytes().data(), jump.bytes().size());
    break;
  }
  case EntrySource::Finder:
    // entrySourceOf chose the finder because the GOT has this entry.
    if (const std::optional<std::uint64_t> stackEnd =
            elf.gotEntryOf("__libc_stack_end")) {
      finder = writeFinder(out, layout.slots, *stackEnd);
    }
    break;
  case EntrySource::None:
    break;
  }
  std::vector<FrameInfo::Stub> stubs;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    const std::optional<SitePlan> &maybePlan = planned[i].plan;
    if (!maybePlan) {
      continue;
    }
    const SitePlan &plan = *maybePlan;
    const std::uint64_t stub = writeStub(out, layout.slots, plan, finder);
    planned[i].outcome.stub = stub;
    if (const std::optional<StubFrame> &frame = stubFrames[i]) {
      stubs.push_back({stub, out.here(), *frame});
    }
    const std::vector<std::byte> jump = siteJump(plan, stub);
    std::memcpy(bytes.data() + fileOffsetOf(image, plan.start), jump.data(),
                jump.size());
  }
  // No `hlt` is inside a replaced range: the planner never moves one.
  std::vector<HaltOutcome> halts = planHalts(elf, code);
  for (const HaltOutcome &halt : halts) {
    if (halt.replaced) {
      bytes[fileOffsetOf(image, halt.address)] = kHaltTrap;
    }
  }
  std::uint64_t hdrAddress = 0;
  std::vector<std::byte> eh;
  if (frames.available()) {
    eh = frames.write(layout.ehAddress, stubs, hdrAddress);
  }

  // Room for our two program headers and the marker's two, and for the
  // code below the end of the user address space.
  if (image.programHeaders().size() + 5 >= PN_XNUM ||
      layout.codeAddress + out.bytes().size() > kUserSpaceEnd) {
    throw ElfError(ElfErrorKind::Malformed,
                   "no room for the rewriter's segments");
  }
  const std::vector<Elf64_Phdr> headers = newProgramHeaders(
      image, layout, out.bytes().size(),
      layout.ehAddress + eh.size() - layout.dataAddress, hdrAddress,
      eh.empty() ? 0 : layout.ehAddress + eh.size() - hdrAddress);
  bytes.resize(layout.codeOffset + out.bytes().size()); // zero padding
  std::memcpy(bytes.data() + layout.tableOffset, headers.data(),
              headers.size() * sizeof(Elf64_Phdr));
  std::memcpy(bytes.data() + layout.codeOffset, out.bytes().data(),
              out.bytes().size());
  if (!eh.empty()) {
    std::memcpy(bytes.data() + layout.ehOffset, eh.data(), eh.size());
  }
  Elf64_Ehdr ehdr = image.header();
  // A static program starts at the prologue (EntrySource::Prologue).
  if (image.kind() == ImageKind::StaticProgram && prologue) {
    ehdr.e_entry = *prologue;
  }
  ehdr.e_phoff = layout.tableOffset;
  ehdr.e_phnum = static_cast<Elf64_Half>(headers.size());
  describeSegments(bytes, ehdr, layout, out.bytes().size());
  std::memcpy(bytes.data(), &ehdr, sizeof ehdr);

  RewriteResult result;
  result.report = collect(planned, std::move(halts), code);
  result.report.entry = prologue.value_or(0);
  result.report.slot = layout.slots.entrySlot;
  result.report.entrySource = source;
  // Mark it like `kml mark` does (the marker appender places its segment
  // above ours, as it does above any other).
  result.bytes = withMarker(ElfImage(std::move(bytes), image.accepted()), true);
  return result;
}

} // namespace

} // namespace kml::rewrite
