// EXPECT: KML-R002
// fopen, fgets and fread are admitted (a002_stdio_files.c); these stream
// functions are not: fscanf's %s writes with no bound, popen runs a shell.
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

int first_word(FILE *f) {
  char word[16];
  // EXPECT-NEXT-LINE: KML-R002
  return fscanf(f, "%15s", word);
}

int run(void) {
  // EXPECT-NEXT-LINE: KML-R002
  FILE *p = popen("ls", "r");
  return p ? 1 : 0;
}
