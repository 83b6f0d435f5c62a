// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). A *const* member
// function of a class with a reference member to a vector of views stores its
// view parameter there. checkOutParameters() only treats the object as an
// out-parameter for a non-const method (objectOut requires !method->isConst()),
// but constness of the method does not reach through a reference member.
// checkStoredViews() inside add() sees `out.push_back(s)` with s a parameter,
// whose containersIn() is empty. The view into s outlives s. ASan:
// heap-use-after-free at views[0][0].
#include <string>
#include <string_view>
#include <vector>
struct Sink {
  std::vector<std::string_view> &out;
  // EXPECT-NEXT-LINE: KML-R019
  void add(std::string_view s) const { out.push_back(s); }
};
int main() {
  std::vector<std::string_view> views;
  Sink sink{views};
  {
    std::string s(100, 'x');
    // EXPECT-NEXT-LINE: KML-R019
    sink.add(s);
  }
  return views[0][0];
}
