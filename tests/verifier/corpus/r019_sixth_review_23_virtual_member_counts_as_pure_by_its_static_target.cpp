// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'f'"). reachesOnlyWhatItIsGiven() judges getDirectCallee(), the static target
// B::f (empty body, B keeps no reference), but the call dispatches to D::f,
// which reallocates the global g while x refers into it. Any virtual
// (non-final) member must count as unknown code. ASan: heap-use-after-free at x
// = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
struct B {
  virtual void f() {}
  virtual ~B() = default;
};
struct D : B {
  void f() override {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
};
int run(B &b) {
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  b.f();
  x = 5;
  return x;
}
int main() {
  D d;
  return run(d);
}
