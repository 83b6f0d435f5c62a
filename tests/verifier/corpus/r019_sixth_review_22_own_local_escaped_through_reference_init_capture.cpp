// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too; with a plain [&v]
// capture new3 reports). escapesIn() looks for by-reference captures whose
// captured variable is the local, but an init-capture [&w = v] captures its own
// VarDecl w, bound by reference to v outside any DeclStmt. So v does not
// "escape", the watch is ownLocal, and apply(grow) -- the program's own code
// running the lambda that reallocates v -- is not checked. ASan:
// heap-use-after-free at x = 5.
#include <vector>
template <class F> void apply(F f) { f(); }
int main() {
  std::vector<int> v{1, 2, 3};
  auto grow = [&w = v] {
    for (int i = 0; i < 100; ++i)
      w.push_back(i);
  };
  int &x = v[0];
  // EXPECT-NEXT-LINE: KML-R019
  apply(grow);
  x = 5;
  return x;
}
