// A ring-0 program on the hardened C++ standard library, built and signed
// by `kml build` (Makefile: stdlib-check.verified). Without arguments it
// counts words with std::map, ranks them with std::ranges::sort and
// prints them; with an argument it indexes a std::vector past its end,
// which the library's own check (_GLIBCXX_ASSERTIONS) turns into SIGABRT,
// at CPL 0 as at CPL 3 (kml_stdlib in attack_gate_test.c).
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

int main(int argc, char **) {
  const std::vector<std::string> words{"ring", "zero", "ring",
                                       "kernel", "zero", "ring"};
  std::map<std::string, int> counts;
  for (const std::string &w : words)
    ++counts[w];
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto &[word, n] : counts)
    ranked.emplace_back(n, word);
  std::ranges::sort(ranked);
  std::string line = "stdlib";
  for (const auto &[n, word] : ranked)
    line += " " + word + "=" + std::to_string(n);
  std::printf("%s\n", line.c_str());
  const std::vector<int> small{7, 8, 9};
  const auto index = static_cast<std::size_t>(argc - 1) * 10; // 0, or past
  std::printf("element %d\n", small[index]);
  return 0;
}
