// EXPECT: accept
// Near miss: members and functions that only look like allocators.
struct slot {
  int free;
  int malloc_count;
};

static int release_slot(struct slot *s) {
  s->free = 1;
  return s->malloc_count;
}

int main(void) {
  struct slot s = {0, 0};
  return release_slot(&s);
}
