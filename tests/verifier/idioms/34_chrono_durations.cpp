// EXPECT: accept
// Duration arithmetic is checked by the type system.
#include <chrono>
int main() {
  using namespace std::chrono;
  const milliseconds budget = seconds(2) + milliseconds(500);
  return budget > seconds(2) ? static_cast<int>(budget.count() / 100) : 0;
}
