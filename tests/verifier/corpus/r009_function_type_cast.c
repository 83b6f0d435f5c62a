// EXPECT: KML-R003 KML-R009
// Calling a function through a pointer of another type.
static int twice(int x) { return 2 * x; }

typedef void (*thunk)(void);

void call(void) {
  thunk t = (thunk)&twice;
  t();
}
