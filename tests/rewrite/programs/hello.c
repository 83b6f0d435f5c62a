/* Arguments, environment and exit status through a rewritten program. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    printf("arg %d: %s\n", i, argv[i]);
  const char *v = getenv("KML_REWRITE_TEST");
  printf("env: %s\n", v ? v : "(unset)");
  return 3;
}
