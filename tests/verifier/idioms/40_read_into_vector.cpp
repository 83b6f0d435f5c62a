// EXPECT: accept
// read(2) into a vector: data() with the vector's own size.
#include <unistd.h>
#include <vector>
int main() {
  std::vector<char> buf(4096);
  const long n = read(0, buf.data(), buf.size());
  return n < 0 ? 1 : 0;
}
