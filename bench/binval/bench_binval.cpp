// Throughput of the binary validator in MB/s of executable code.
//
//   kml_binval_bench [--benchmark_repetitions=N] [ELF...]
//
// Without ELF arguments it measures /bin/busybox (Debian's busybox-static)
// when present and always its own executable. Google Benchmark reports
// bytes_per_second from the text bytes each run examined; use
// --benchmark_repetitions and the median aggregate for stable figures.
#include "kml/binary_validator.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

void validateWholeFile(benchmark::State &state,
                       const std::filesystem::path &path) {
  std::uint64_t bytes = 0;
  // The loop variable is Google Benchmark's iteration token, never read.
  for (auto _ : state) { // NOLINT(clang-analyzer-deadcode.DeadStores)
    kml::binval::Report report = kml::binval::validateFile(path);
    benchmark::DoNotOptimize(report.findings.data());
    bytes += report.textBytes;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    files.emplace_back(argv[i]);
  }
  if (files.empty()) {
    if (std::filesystem::exists("/bin/busybox")) {
      files.emplace_back("/bin/busybox");
    }
    files.emplace_back(std::filesystem::read_symlink("/proc/self/exe"));
  }
  // Rates from CPU time (the default) and from wall-clock time: the build
  // machines are shared, so the two differ under load.
  for (const auto &file : files) {
    std::string name = "validateFile/" + file.filename().string();
    benchmark::RegisterBenchmark(name.c_str(), validateWholeFile, file)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((name + "/wall").c_str(), validateWholeFile,
                                 file)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
