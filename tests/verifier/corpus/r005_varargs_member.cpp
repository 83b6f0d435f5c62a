// EXPECT: KML-R005
// A C-style variadic member function.
struct Logger {
  int count(int n, ...) { return n; }
};

int use(Logger &l) { return l.count(2, 1, 2); }
