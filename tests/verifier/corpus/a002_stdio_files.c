// EXPECT: accept
// stdio over files: fopen/fclose, fgets and fread bounded by the buffer,
// fprintf with a literal format.
#include <stdio.h>

int count_lines(const char *path) {
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return -1;
  char line[256];
  int lines = 0;
  while (fgets(line, sizeof line, f) != NULL)
    ++lines;
  unsigned char block[512];
  size_t got = fread(block, 1, sizeof block, f);
  int failed = ferror(f) || !feof(f);
  fclose(f);
  fprintf(stderr, "%d lines, %zu bytes after\n", lines, got);
  return failed ? -1 : lines;
}
