// EXPECT: accept
// Measure with steady_clock and duration_cast.
#include <chrono>
int main() {
  const auto start = std::chrono::steady_clock::now();
  const auto end = std::chrono::steady_clock::now();
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(end - start);
  return us.count() >= 0 ? 0 : 1;
}
