// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too; the new
// libraryMayCallBack check is defeated by the plainAccessor exemption).
// unique_ptr<int, Closer> with Closer::pointer a program class: `if (up)` is
// operator bool, which computes get() == pointer() -- copying Handle with its
// user-provided copy constructor, which reallocates g.
// libraryMayCallBack(object type) is true, but plainAccessor() exempts
// "operator bool" (and get, operator*, operator->) for any non-node storage
// regardless of a program pointer type. ASan: heap-use-after-free at x = 5.
#include <cstddef>
#include <memory>
#include <vector>
std::vector<int> g{1, 2, 3};
struct Handle {
  int id = 0;
  Handle() = default;
  Handle(std::nullptr_t) {}
  Handle(const Handle &o) : id(o.id) {
    for (int i = 0; i < 100; ++i)
      g.push_back(i);
  }
  Handle &operator=(const Handle &o) = default;
  explicit operator bool() const { return id != 0; }
  friend bool operator==(const Handle &a, const Handle &b) {
    return a.id == b.id;
  }
};
struct Closer {
  using pointer = Handle;
  void operator()(Handle) const {}
};
int main() {
  std::unique_ptr<int, Closer> up;
  int &x = g[0];
  // EXPECT-NEXT-LINE: KML-R019
  if (up)
    x = 4;
  x = 5;
  return x;
}
