#pragma once
// Unwind information for the stubs. An unwinder that starts in a signal
// handler walks through the frame the signal interrupted; when that was a
// syscall in a stub, it needs an FDE covering the stub, or the walk stops
// there (no backtrace past it, no C++ cleanups, glibc's forced unwind for
// pthread_cancel ends early). A stub changes neither the stack nor any
// callee-saved register, so the frame inside it is exactly the frame at
// the original site: each stub gets an FDE that reuses the site's CIE and
// replays the site's FDE instructions up to the site, with the location
// advances dropped. A new .eh_frame_hdr lists the old FDEs and the new
// ones, and PT_GNU_EH_FRAME points at it.

#include "elf_view.hpp"
#include "kml/elf_image.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace kml::rewrite {

// The unwind rules in effect at one address, ready to become an FDE.
struct StubFrame {
  std::uint64_t cie = 0;     // address of the CIE the FDE refers to
  std::uint8_t encoding = 0; // the CIE's FDE pointer encoding
  bool augmented = false;    // CIE has 'z': the FDE has augmentation data
  std::uint64_t augmentationSize = 0; // written as zeros (no LSDA)
  std::vector<std::uint8_t> instructions;

  // Bytes the FDE takes, padded to 8.
  [[nodiscard]] std::size_t size() const;
};

class FrameInfo {
public:
  FrameInfo(const ElfView &elf, const ElfImage &image);

  [[nodiscard]] bool available() const { return ehFrame_ != 0 && complete_; }
  // No PT_GNU_EH_FRAME yet (static non-PIE: ld makes no .eh_frame_hdr and
  // crtbeginT registers .eh_frame at startup instead); the rewriter adds
  // one so that glibc's _dl_find_object, which libgcc asks once the
  // registered frames have no answer, finds the stubs' FDEs.
  [[nodiscard]] bool needsHeader() const {
    return available() && hdrAddress_ == 0;
  }
  [[nodiscard]] std::optional<StubFrame> frameAt(std::uint64_t address) const;

  // Bytes of the new FDEs followed by the new .eh_frame_hdr for `count`
  // stubs whose FDEs take `fdeBytes`.
  [[nodiscard]] std::size_t tableSize(std::size_t fdeBytes,
                                      std::size_t count) const;

  // Writes the FDEs (one per stub: [start, end) and its frame) and the new
  // .eh_frame_hdr at `address`; returns the bytes and sets hdrAddress to
  // where the header starts. Throws std::range_error when an offset does
  // not fit.
  struct Stub {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    StubFrame frame;
  };
  std::vector<std::byte> write(std::uint64_t address,
                               const std::vector<Stub> &stubs,
                               std::uint64_t &hdrAddress) const;

private:
  struct Cie {
    std::uint64_t codeAlign = 1;
    std::uint8_t encoding = 0; // DW_EH_PE_absptr unless 'R'
    bool augmented = false;
    bool usable = false;
  };
  struct Fde {
    std::uint64_t address = 0;
    std::uint64_t cie = 0;
    std::uint64_t pcBegin = 0;
    std::uint64_t pcRange = 0;
    std::uint64_t augmentationSize = 0;
    std::uint64_t instructions = 0; // address of the first
    std::uint64_t instructionsEnd = 0;
  };
  void parse(std::uint64_t ehFrame);
  [[nodiscard]] std::optional<Cie> parseCie(std::uint64_t address) const;

  const ElfView &elf_;
  bool pie_ = false;
  std::uint64_t hdrAddress_ = 0;
  std::uint64_t ehFrame_ = 0;
  std::vector<std::pair<std::uint64_t, Cie>> cies_;
  std::vector<Fde> fdes_; // sorted by pcBegin
  // Every FDE was understood: the new header can list them all.
  bool complete_ = true;
};

} // namespace kml::rewrite
