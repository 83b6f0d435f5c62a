#!/bin/sh
# Measures kml-verify's time per 1,000 source lines (figures quoted in
# docs/verifier.md). Lines are the checked file's own lines, not headers.
#   tests/verifier/measure.sh [path/to/kml-verify]
set -eu
tool=${1:-build/host/verifier/kml-verify}
here=$(cd "$(dirname "$0")" && pwd)
req=$("$tool" --required-flags)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

now_ms() { date +%s%3N; }

# time_files LABEL FILE...: total wall time and lines over the files.
time_files() {
  label=$1
  shift
  lines=0
  start=$(now_ms)
  for f in "$@"; do
    case $f in *.c) std=-std=c17 ;; *) std=-std=c++20 ;; esac
    # shellcheck disable=SC2086 # $req: kml-verify's flags, one word each
    "$tool" "$f" -- "$std" $req >/dev/null 2>&1 || true
    lines=$((lines + $(wc -l <"$f")))
  done
  ms=$(($(now_ms) - start))
  echo "$label: $# files, $lines lines, $ms ms, $((ms * 1000 / lines)) ms per 1000 lines"
}

time_files corpus "$here"/corpus/*.c "$here"/corpus/*.cpp
time_files inventory.c "$here"/corpus/a_program_inventory.c
time_files shapes.cpp "$here"/corpus/a_program_shapes.cpp

# A generated C file: COPIES (default 50, 2,000 lines) copies of a 40-line
# function family.
gen="$scratch/generated.c"
echo '#include <string.h>' >"$gen"
i=0
while [ "$i" -lt "${COPIES:-50}" ]; do
  cat >>"$gen" <<EOC
struct rec_$i { int id; int vals[16]; char tag[8]; };
static struct rec_$i table_${i}[32];
static int fill_$i(int seed) {
  int total = 0;
  for (int r = 0; r < 32; ++r) {
    table_${i}[r].id = r + seed;
    for (int k = 0; k < 16; ++k)
      table_${i}[r].vals[k] = (r * k + seed) % 97;
    memset(table_${i}[r].tag, 0, sizeof table_${i}[r].tag);
  }
  for (int r = 0; r < 32; ++r)
    total += table_${i}[r].vals[r % 16];
  return total;
}
static int max_$i(void) {
  int best = 0;
  for (int r = 0; r < 32; ++r) {
    for (int k = 0; k < 16; ++k) {
      int v = table_${i}[r].vals[k];
      if (v > best)
        best = v;
    }
  }
  return best;
}
static int count_$i(int threshold) {
  int n = 0;
  for (int r = 0; r < 32; ++r)
    if (table_${i}[r].vals[0] > threshold)
      ++n;
  return n;
}
int run_$i(int seed) {
  int a = fill_$i(seed);
  int b = max_$i();
  int c = count_$i(b / 2);
  return a + b + c;
}


EOC
  i=$((i + 1))
done
time_files generated.c "$gen"

# C++ on the admitted standard library: the headers alone (their parse is a
# fixed cost per TU), then COPIES families of a 30-line class over them.
headers='#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>'
base="$scratch/headers.cpp"
printf '%s\nint main() { return 0; }\n' "$headers" >"$base"
time_files std-headers-only.cpp "$base"
genxx="$scratch/generated.cpp"
printf '%s\n' "$headers" >"$genxx"
i=0
while [ "$i" -lt "${COPIES:-50}" ]; do
  cat >>"$genxx" <<EOC
class Index_$i {
public:
  void add(std::string_view word, int line) {
    auto &lines = lines_[std::string(word)];
    if (lines.empty() || lines.back() != line)
      lines.push_back(line);
  }
  std::optional<int> first(const std::string &word) const {
    if (!lines_.contains(word))
      return std::nullopt;
    return lines_.at(word).front();
  }
  std::vector<std::string> sorted() const {
    std::vector<std::string> out;
    for (const auto &[word, lines] : lines_)
      if (!lines.empty())
        out.push_back(word);
    std::ranges::sort(out);
    return out;
  }
  int total() const {
    int n = 0;
    for (const auto &[word, lines] : lines_)
      n += static_cast<int>(lines.size());
    return n;
  }

private:
  std::map<std::string, std::vector<int>> lines_;
};
int run_$i() {
  auto index = std::make_unique<Index_$i>();
  index->add("ring", 1);
  return index->total() + index->first("ring").value_or(0);
}
EOC
  i=$((i + 1))
done
time_files generated.cpp "$genxx"
