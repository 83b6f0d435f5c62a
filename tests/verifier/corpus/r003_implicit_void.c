// EXPECT: KML-R003
// In C, void* converts implicitly to any object pointer: still a type change.
static int storage;

static void *erase(int *p) { return p; }

int main(void) {
  long *l = erase(&storage);
  return l != 0;
}
