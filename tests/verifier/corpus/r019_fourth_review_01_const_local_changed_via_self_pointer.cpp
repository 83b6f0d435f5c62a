// EXPECT: KML-R019
// Found by the fourth review (a hole in a first cut of the relaxations)
// (relaxation 1, isImmutable). 's' is declared const, so 's.v' is never
// watched, but its constructor stored a non-const 'this' in a member;
// s.self->v.push_back() reallocates s.v while 'r' refers into it ->
// heap-use-after-free. const does not fix the shape: any non-const path made
// during construction (this escaping) changes it without const_cast.
#include <cstdio>
#include <vector>
struct S {
  std::vector<int> v;
  S *self;
  S() : v{1, 2, 3}, self(this) {}
};
int main() {
  const S s;
  const int &r = s.v[0];
  for (int i = 0; i < 100; ++i)
    // EXPECT-NEXT-LINE: KML-R019
    s.self->v.push_back(i);
  std::printf("%d\n", r);
  return 0;
}
