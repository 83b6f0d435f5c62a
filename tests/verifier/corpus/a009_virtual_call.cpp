// EXPECT: accept
// Near miss: virtual calls dispatch to known overriders.
struct Shape {
  virtual ~Shape() = default;
  virtual int area() const = 0;
};
struct Square : Shape {
  int side = 3;
  int area() const override { return side * side; }
};

int area_of(const Shape &s) { return s.area(); }

int main() {
  Square sq;
  return area_of(sq) == 9 ? 0 : 1;
}
