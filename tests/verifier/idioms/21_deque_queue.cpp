// EXPECT: accept
// A FIFO queue with a deque.
#include <deque>
int main() {
  std::deque<int> q;
  q.push_back(1);
  q.push_back(2);
  q.push_front(0);
  int first = q.front();
  q.pop_front();
  return first + q.front() + static_cast<int>(q.size());
}
