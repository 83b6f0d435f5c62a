// EXPECT: accept
// An ordered map: operator[] inserts, at() aborts when missing.
#include <map>
#include <string>
int main() {
  std::map<std::string, int> ages;
  ages["ada"] = 36;
  ages["alan"] = 41;
  return ages.at("ada") + static_cast<int>(ages.size());
}
