// EXPECT: KML-R019
// Found by the sixth review (an old hole) (snap accepts too). As 08 with
// assign(1, s) (also assign(il), assign_range, append_range, insert_range...):
// not in kAdds. ASan: heap-use-after-free at args[0][0].
#include <string>
#include <string_view>
#include <vector>
int main() {
  std::vector<std::string_view> args;
  {
    std::string s(100, 'x');
    // EXPECT-NEXT-LINE: KML-R019
    args.assign(1, s);
  }
  return args[0][0];
}
