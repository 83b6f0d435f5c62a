// EXPECT: KML-R019
// Found by the fifth review (an old hole) (found while fixing the fifth
// review): a reference from the program's own accessor (h.name()) into a member
// string, then a non-const member (set_name) that reallocates it: nothing
// refers into a standard container by the old rules, so nothing was watched.
#include <string>
class holder {
public:
  const std::string &name() const { return name_; }
  void set_name() { name_.assign(100, 'x'); }

private:
  std::string name_ = "a";
};
int main() {
  holder h;
  const std::string &n = h.name();
  // EXPECT-NEXT-LINE: KML-R019
  h.set_name();
  return static_cast<int>(n.size());
}
