// EXPECT: KML-R011
// A function of the program's own that returns a part of its argument by
// reference (an element, a member) hands back a part of a temporary as
// surely as std::max hands back the temporary: the reference outlives the
// statement. Naming the temporary first is the near miss.
#include <string>
#include <utility>
#include <vector>

std::vector<int> make() { return {1, 2, 3}; }
const int &firstOf(const std::vector<int> &v) { return v[0]; }

struct Pair {
  std::string a;
  std::string b;
};
Pair makePair() { return {"x", "y"}; }
const std::string &firstName(const Pair &p) { return p.a; }

const std::string &secondOf(const std::pair<int, std::string> &p) {
  return p.second;
}

int main() {
  // EXPECT-NEXT-LINE: KML-R011
  const int &r = firstOf(make());
  // EXPECT-NEXT-LINE: KML-R011
  const std::string &n = firstName(makePair());
  // EXPECT-NEXT-LINE: KML-R011
  const std::string &s = secondOf({1, "two"});
  const std::vector<int> named = make();
  const int &fine = firstOf(named);
  const Pair pair = makePair();
  const std::string &alsoFine = firstName(pair);
  return r + fine + static_cast<int>(n.size() + s.size() + alsoFine.size());
}
