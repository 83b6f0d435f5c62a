// EXPECT: accept
// Near miss: every function of the cycle is annotated (C++11 attribute form).
int pong(int n);
[[clang::annotate("kml::recursion_bound(8)")]] int ping(int n) {
  return n > 0 ? pong(n - 1) : 0;
}
[[clang::annotate("kml::recursion_bound(8)")]] int pong(int n) {
  return n > 0 ? ping(n - 1) : 1;
}
