// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too).
// checkStoredViews()'s kAdds misses resize (and assign, 09): resize(1, s)
// stores a string_view of s in args, which outlives s. checkOutParameters()
// skips library member calls, deferring to checkStoredViews(). ASan:
// heap-use-after-free at args[0][0].
#include <string>
#include <string_view>
#include <vector>
int main() {
  std::vector<std::string_view> args;
  {
    std::string s(100, 'x');
    // EXPECT-NEXT-LINE: KML-R019
    args.resize(1, s);
  }
  return args[0][0];
}
