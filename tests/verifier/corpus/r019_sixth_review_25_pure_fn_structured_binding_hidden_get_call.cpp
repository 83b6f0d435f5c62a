// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'add'"). A structured binding of a tuple-like program class calls its member
// get<I>() from each BindingDecl's binding expression, which
// RecursiveASTVisitor visits only with shouldVisitImplicitCode(). BodyScan
// never sees P::get, which reallocates the global g. (The specialisations of
// std::tuple_size/tuple_element are classes, so VisitFunctionDecl's
// namespace-std check does not fire.) ASan: heap-use-after-free at x = 5.
#include <cstddef>
#include <utility>
#include <vector>
std::vector<int> g{1, 2, 3};
struct P {
  int a, b;
  template <std::size_t I> int get() const {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
    return I == 0 ? a : b;
  }
};
template <>
struct std::tuple_size<P> : std::integral_constant<std::size_t, 2> {};
template <std::size_t I> struct std::tuple_element<I, P> { using type = int; };
int add(const P &p) {
  auto [a, b] = p;
  return a + b;
}
int main() {
  P p{1, 2};
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  int s = add(p);
  x = 5;
  return x + s;
}
