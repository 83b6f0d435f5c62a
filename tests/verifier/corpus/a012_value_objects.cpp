// EXPECT: accept
// Near miss: objects with automatic storage need no allocation.
struct Vec {
  int x = 0, y = 0;
  Vec operator+(const Vec &o) const { return {x + o.x, y + o.y}; }
};

int length2() {
  Vec a{1, 2}, b{3, 4};
  Vec c = a + b;
  return c.x * c.x + c.y * c.y;
}
