// EXPECT: accept
// Near miss: casts between enums and integers do not touch pointers.
enum class Color : int { Red = 1, Green = 2 };

int code(Color c) { return static_cast<int>(c); }
Color from(int v) { return static_cast<Color>(v & 3); }
