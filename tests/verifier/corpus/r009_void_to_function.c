// EXPECT: KML-R003 KML-R009
// A function pointer recovered from data (void *).
typedef int (*op)(int);

int apply(void *p, int x) {
  op f = (op)p;
  return f(x);
}
