// EXPECT: KML-R019
// Found by the sixth review (a hole in the relaxations) (snap reports "calling
// 'sum'"). BodyScan uses RecursiveASTVisitor's default
// shouldVisitImplicitCode() == false, so a range-for's hidden
// begin()/end()/operator++/operator*/operator!= calls on a program type are
// never seen. Range::begin() reallocates the global g; sum() still counts
// as reaching only what it is given. ASan: heap-use-after-free at x = 5.
#include <vector>
std::vector<int> g{1, 2, 3};
struct It {
  int i;
  int operator*() const { return i; }
  It &operator++() {
    ++i;
    return *this;
  }
  bool operator!=(const It &o) const { return i != o.i; }
};
struct Range {
  int n;
  It begin() const {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
    return It{0};
  }
  It end() const { return It{n}; }
};
int sum(const Range &r) {
  int s = 0;
  for (int k : r)
    s += k;
  return s;
}
int main() {
  Range r{3};
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  int s = sum(r);
  x = 5;
  return x + s;
}
