// EXPECT: accept
// find() gives an index; substr() aborts when it is past the end.
#include <string>
int main() {
  const std::string line = "key=value";
  const std::size_t eq = line.find('=');
  if (eq == std::string::npos)
    return 1;
  const std::string key = line.substr(0, eq);
  return key == "key" ? 0 : 2;
}
