// EXPECT: accept
// A small class that keeps its invariant with a vector member.
#include <vector>
class Stack {
public:
  void push(int v) { items_.push_back(v); }
  bool empty() const { return items_.empty(); }
  int pop() {
    const int top = items_.back();
    items_.pop_back();
    return top;
  }

private:
  std::vector<int> items_;
};
int main() {
  Stack s;
  s.push(1);
  s.push(2);
  return s.pop() * 10 + s.pop();
}
