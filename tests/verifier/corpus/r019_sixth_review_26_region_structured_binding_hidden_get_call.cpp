// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). As 25 directly in
// the region: scan() walks Stmt::children(), and a DeclStmt's children are its
// variables' initialisers (p, for the DecompositionDecl), not the BindingDecls'
// get<I>() calls; checkHiddenCode() looks only at constructors/destructors.
// ASan: heap-use-after-free at x = 5.
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
int main() {
  P p{1, 2};
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  auto [a, b] = p;
  x = 5;
  return x + a + b;
}
