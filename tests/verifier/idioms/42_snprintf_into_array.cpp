// EXPECT: accept
// Formatting into a fixed buffer: snprintf bounded by sizeof.
#include <cstdio>
int main() {
  char line[32];
  std::snprintf(line, sizeof line, "%d-%s", 7, "x");
  return line[0] == '7' ? 0 : 1;
}
