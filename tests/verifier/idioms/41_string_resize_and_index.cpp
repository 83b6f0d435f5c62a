// EXPECT: accept
// resize() then checked indexing.
#include <string>
int main() {
  std::string s;
  s.resize(3, 'a');
  s[1] = 'b';
  return s[1] - 'a';
}
