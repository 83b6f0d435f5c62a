// EXPECT: KML-R002
// The standard library outside the admitted subset (docs/rules/allowlist.md):
// the iostreams, std::list, std::function, std::regex, std::thread. The
// containers that check their own bounds are admitted (a002_std_library.cpp
// and tests/verifier/idioms/).
#include <functional>
#include <iostream>
#include <list>
#include <thread>

int total() {
  std::list<int> l; // a defaulted constructor is no call

  // EXPECT-NEXT-LINE: KML-R002
  l.push_back(1);
  // EXPECT-NEXT-LINE: KML-R002
  std::cout << l.size();
  return 0;
}

int call(int x) {
  // EXPECT-NEXT-LINE: KML-R002
  std::function<int(int)> f = [](int v) { return v + 1; };
  // EXPECT-NEXT-LINE: KML-R002
  return f(x);
}
