// EXPECT: KML-R019
// Found by the fifth review (an old hole) (snap accepts too), but a gap in the
// NEW region check 6: isProgramCallable() looks only at rec->methods(), which
// omits an operator() inherited from a base. std::visit(Visitor{}, var) in a
// range-for over the global g calls Base::operator(), which reallocates g ->
// heap-use-after-free. (With 'using Visitor = Base' the new verifier does
// report it.)
#include <cstdio>
#include <variant>
#include <vector>
std::vector<int> g{1, 2, 3};
struct Base {
  void operator()(int) const {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
};
struct Visitor : Base {};
int main() {
  std::variant<int> var = 1;
  int sum = 0;
  for (int &x : g) {
    // EXPECT-NEXT-LINE: KML-R019
    std::visit(Visitor{}, var);
    sum += x;
  }
  std::printf("%d\n", sum);
  return 0;
}
