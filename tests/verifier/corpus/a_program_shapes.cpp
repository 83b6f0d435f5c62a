// EXPECT: accept
// A realistic C++ program in the subset (also a timing sample): classes
// with virtual dispatch, templates, constexpr tables, kml runtime views and
// an owning buffer, error results instead of exceptions.
#include <kml/array.hpp>
#include <kml/buffer.hpp>
#include <kml/span.hpp>

#include <stdio.h>

namespace shapes {

struct Shape {
  virtual ~Shape() = default;
  virtual long area() const = 0;
  virtual const char *name() const = 0;
};

struct Rect final : Shape {
  long w = 0, h = 0;
  Rect(long width, long height) : w(width), h(height) {}
  long area() const override { return w * h; }
  const char *name() const override { return "rect"; }
};

struct Square final : Shape {
  long side = 0;
  explicit Square(long s) : side(s) {}
  long area() const override { return side * side; }
  const char *name() const override { return "square"; }
};

struct Triangle final : Shape {
  long base = 0, height = 0;
  Triangle(long b, long h) : base(b), height(h) {}
  long area() const override { return base * height / 2; }
  const char *name() const override { return "triangle"; }
};

template <typename T> struct Result {
  bool ok = false;
  T value{};
  static Result success(T v) { return {true, v}; }
  static Result failure() { return {}; }
};

constexpr kml::array<long, 5> kWeights{1, 2, 3, 5, 8};

template <typename T> T clamp_to(T v, T lo, T hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

long weighted_sum(kml::span<const long> values) {
  long total = 0;
  for (size_t i = 0; i < values.size() && i < kWeights.size(); ++i)
    total += values[i] * kWeights[i];
  return total;
}

Result<long> checked_area(const Shape &s) {
  long a = s.area();
  if (a < 0)
    return Result<long>::failure();
  return Result<long>::success(a);
}

class Histogram {
public:
  void add(long value) {
    long bucket = clamp_to(value / 10, 0L, 7L);
    counts_[static_cast<size_t>(bucket)]++;
  }
  long count(size_t bucket) const { return counts_[bucket]; }
  static constexpr size_t buckets() { return 8; }

private:
  kml::array<long, 8> counts_{};
};

} // namespace shapes

int main() {
  shapes::Rect r(3, 4);
  shapes::Square s(5);
  shapes::Triangle t(6, 7);
  const shapes::Shape *all[3] = {&r, &s, &t};

  auto areas = kml::buffer<long>::create(3);
  if (!areas.valid())
    return 1;
  shapes::Histogram h;
  for (size_t i = 0; i < 3; ++i) {
    auto res = shapes::checked_area(*all[i]);
    if (!res.ok)
      return 1;
    areas[i] = res.value;
    h.add(res.value);
    printf("%s: %ld\n", all[i]->name(), res.value);
  }
  long sum = shapes::weighted_sum(kml::span<const long>(areas.span()));
  for (size_t b = 0; b < shapes::Histogram::buckets(); ++b)
    if (h.count(b) != 0)
      printf("bucket %zu: %ld\n", b, h.count(b));
  printf("weighted: %ld\n", sum);
  return 0;
}
