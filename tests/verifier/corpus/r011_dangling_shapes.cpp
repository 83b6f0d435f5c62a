// EXPECT: KML-R011 KML-R019
// The same dangling reference in every shape it takes: through typedefs
// and decltype(auto), a comma, a cast, a member of the result, a default
// argument, a function pointer, an aggregate's reference member, a
// pointer, a structured binding, braces, and a return.
// Two of the calls that follow r6, a reference into what id() returns (no
// argument explains it), are R019 too: an indirect call, and std::max on a
// type with an operator of the program's own.
#include <algorithm>

static int next() { return 7; }
struct Bag {
  int items[3];
  bool operator<(const Bag &o) const { return items[0] < o.items[0]; }
};
static Bag make() { return Bag{{1, 2, 3}}; }
static const int &id(const int &x = 42) { return x; }
using ConstRef = const int &;
struct Holder {
  const int &r;
};

// EXPECT-NEXT-LINE: KML-R011
static const int &larger(int a) { return std::max(next(), a); }

int use(int a) {
  int s = 0;
  // EXPECT-NEXT-LINE: KML-R011
  decltype(auto) r1 = std::max(next(), a);
  // EXPECT-NEXT-LINE: KML-R011
  ConstRef r2 = std::max(next(), a);
  // EXPECT-NEXT-LINE: KML-R011
  const int &r3 = (s, std::max(next(), a));
  // EXPECT-NEXT-LINE: KML-R011
  const int &r4 = static_cast<const int &>(std::max(next(), a));
  // EXPECT-NEXT-LINE: KML-R011
  const int &r5 = std::max(make(), make()).items[0];
  // EXPECT-NEXT-LINE: KML-R011
  const int &r6 = id();
  const int &(*fp)(const int &, const int &) = &std::max<int>;
  // EXPECT-NEXT-LINE: KML-R011 KML-R019
  const int &r7 = fp(next(), a);
  // EXPECT-NEXT-LINE: KML-R011
  Holder h{std::max(next(), a)};
  // EXPECT-NEXT-LINE: KML-R011
  const int *p = &std::max(next(), a);
  // EXPECT-NEXT-LINE: KML-R011 KML-R019
  auto &&[b0, b1, b2] = std::max(make(), make()).items;
  // EXPECT-NEXT-LINE: KML-R011
  const int &r8{std::max(next(), a)};
  s += r1 + r2 + r3 + r4 + r5 + r6 + r7 + h.r + *p + b0 + b1 + b2 + r8;
  return s + larger(a);
}
