// Public entry points: glue between the ELF reader, the symbol index and the
// code scanner.
#include "kml/binary_validator.hpp"

#include "code_scanner.hpp"
#include "elf_image.hpp"
#include "mapped_file.hpp"
#include "rules.hpp"
#include "symbol_index.hpp"

#include <algorithm>
#include <vector>

namespace kml::binval {
namespace {

Report validateElf(std::span<std::byte> image) {
  detail::ElfImage elf(image);
  detail::CodeScanner scanner;
  Report report;
  for (const detail::CodeRegion &region : elf.codeRegions()) {
    detail::SymbolIndex symbols(elf.symbols(), region.address,
                                region.address + region.bytes.size());
    scanner.scan(region.bytes, region.address, symbols, report,
                 region.stubSlot);
  }
  const detail::RuleHit &dataRule = detail::dataInCodeRule();
  for (const auto &data : elf.dataInCode())
    report.findings.push_back({data.address, "?",
                               "(section " + data.section + ", " +
                                   std::to_string(data.size) + " bytes)",
                               std::string(dataRule.id),
                               std::string(dataRule.reason)});
  // Regions come in section order, then segment gaps: sort for the reader.
  // Addresses are unique except for data-in-code spans, which compare by
  // text as a tie-break so the order stays deterministic.
  std::ranges::sort(report.findings, [](const Finding &a, const Finding &b) {
    return a.address != b.address ? a.address < b.address
                                  : a.instruction < b.instruction;
  });
  return report;
}

} // namespace

Report validateFile(const std::filesystem::path &elf) {
  detail::MappedFile file(elf);
  try {
    return validateElf(file.bytes());
  } catch (const Error &error) {
    throw Error(elf.string() + ": " + error.what());
  }
}

Report validateImage(std::span<const std::byte> image) {
  // libelf may convert in place, so it works on a private copy.
  std::vector<std::byte> copy(image.begin(), image.end());
  return validateElf(copy);
}

Report validateCode(std::span<const std::byte> code, std::uint64_t address,
                    std::span<const Symbol> symbols) {
  detail::SymbolIndex index(symbols, address, address + code.size());
  Report report;
  detail::CodeScanner().scan(code, address, index, report);
  return report;
}

} // namespace kml::binval
