// EXPECT: accept
// Near miss: aggregate initialisers zero the rest.
struct point {
  int x, y, z;
};

int sum(void) {
  struct point p = {1};
  int a[8] = {0};
  return p.x + p.y + p.z + a[7];
}
