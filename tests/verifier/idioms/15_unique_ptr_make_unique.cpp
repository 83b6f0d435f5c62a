// EXPECT: accept
// Ownership with make_unique; no raw new or delete.
#include <memory>
struct Node {
  int value = 0;
};
int main() {
  std::unique_ptr<Node> n = std::make_unique<Node>();
  n->value = 5;
  std::unique_ptr<Node> moved = std::move(n);
  return moved ? moved->value : 1;
}
