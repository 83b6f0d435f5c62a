// EXPECT: accept
// Near miss: a null function pointer, set later from a named function.
static void tick(void) {}

static void (*hook)(void) = 0;

void install(void) { hook = &tick; }
void fire(void) {
  if (hook)
    hook();
}
