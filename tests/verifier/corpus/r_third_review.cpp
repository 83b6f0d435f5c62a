// EXPECT: KML-R018 KML-R019
// Found by a third review: a raw pointer as an algorithm's output, a
// shared_ptr's object, an element handed to the program's own function
// that changes a global, a lambda returning a reference, a pointer copied
// out of a loop, std::data. Each wrote out of bounds or freed memory
// under ASan.
#include <algorithm>
#include <iterator>
#include <memory>
#include <vector>

int copy_into_array(const std::vector<int> &a) {
  int b[2] = {0, 0};
  // EXPECT-NEXT-LINE: KML-R018
  std::ranges::copy(a, b);
  return b[0];
}

int copy_into_data(const std::vector<int> &a, std::vector<int> &b) {
  // EXPECT-NEXT-LINE: KML-R018
  std::ranges::copy(a, b.data());
  return b[0];
}

int shared_reset() {
  auto sp = std::make_shared<int>(2);
  int &v = *sp;
  // EXPECT-NEXT-LINE: KML-R019
  sp.reset();
  return v;
}

std::vector<int> g(1, 0);
void set(int &x) {
  g.resize(1000);
  x = 42;
}
void element_to_own_code() {
  // EXPECT-NEXT-LINE: KML-R019
  set(g[0]);
}

int lambda_returns_a_reference(std::vector<int> &v) {
  auto get = [&v]() -> int & { return v[0]; };
  int &r = get();
  // EXPECT-NEXT-LINE: KML-R019
  v.resize(1000);
  return r;
}

int pointer_out_of_a_loop(std::vector<int> &v) {
  int *p = nullptr;
  for (int &x : v) {
    int *q = &x;
    // EXPECT-NEXT-LINE: KML-R019
    p = q;
  }
  v.resize(1000);
  return p == nullptr ? 0 : *p;
}

int std_data(std::vector<int> &v) {
  int *p = std::data(v);
  // EXPECT-NEXT-LINE: KML-R019
  v.resize(1000);
  return *p;
}
