// EXPECT: accept
// Shared ownership with make_shared and use_count().
#include <memory>
struct Config {
  int level = 2;
};
int main() {
  std::shared_ptr<Config> a = std::make_shared<Config>();
  std::shared_ptr<Config> b = a;
  return static_cast<int>(a.use_count()) + b->level;
}
