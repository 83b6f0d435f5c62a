// EXPECT: KML-R018
// A pointer with a length, two unrelated pointers, and raw pointers in and
// out of smart pointers.
#include <charconv>
#include <memory>
#include <span>
#include <string>
#include <string_view>

std::string from_bytes(const char *p, std::size_t n) {
  // EXPECT-NEXT-LINE: KML-R018
  return std::string(p, n);
}

std::size_t view_length(const char *p, std::size_t n) {
  // EXPECT-NEXT-LINE: KML-R018
  std::string_view v(p, n);
  return v.size();
}

int span_sum(int *p, std::size_t n) {
  // EXPECT-NEXT-LINE: KML-R018
  std::span<int> s(p, n);
  return s.empty() ? 0 : s[0];
}

void append_bytes(std::string &s, const char *p, std::size_t n) {
  // EXPECT-NEXT-LINE: KML-R018
  s.append(p, n);
}

// copy() writes n characters through the pointer.
void copy_out(const std::string &s, char *out) {
  // EXPECT-NEXT-LINE: KML-R018
  s.copy(out, 64);
}

// Two pointers from two different arrays as a range.
int parse(const char *a, const char *b) {
  int v = 0;
  // EXPECT-NEXT-LINE: KML-R018
  std::from_chars(a, b, v);
  return v;
}

struct Node {
  int value = 0;
};

int *leak(std::unique_ptr<Node> &n) {
  // EXPECT-NEXT-LINE: KML-R018
  return &n.release()->value;
}

int peek(const std::shared_ptr<Node> &n) {
  // EXPECT-NEXT-LINE: KML-R018
  return n.get()->value;
}

Node global_node;
void own_a_global() {
  // EXPECT-NEXT-LINE: KML-R018
  std::unique_ptr<Node> p(&global_node);
}

void reset_to(std::unique_ptr<Node> &p, Node *raw) {
  // EXPECT-NEXT-LINE: KML-R018
  p.reset(raw);
}

int array_owner(std::size_t n) {
  // EXPECT-NEXT-LINE: KML-R018
  auto a = std::make_unique<int[]>(n);
  return a[n];
}
