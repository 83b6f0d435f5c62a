/* Test program for the marker tests: exercises what static startup code
 * sets up from the program headers (TLS, malloc via brk) and, with
 * --notes, walks its own program headers the way libraries do through
 * dl_iterate_phdr, looking for the KML note in memory. */
#define _GNU_SOURCE
#include <linux/kml_note.h>

#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int tls_counter = 41;

static int find_note(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  int *found = data;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_NOTE)
      continue;
    const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
    const char *end = p + ph->p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const ElfW(Nhdr) *n = (const void *)p;
      const char *name = p + sizeof *n;
      const char *desc = name + ((n->n_namesz + 3) & ~3u);
      if (n->n_type == NT_KML_MARKER && n->n_namesz == KML_NOTE_NAMESZ &&
          memcmp(name, KML_NOTE_NAME, KML_NOTE_NAMESZ) == 0) {
        const struct kml_note *k = (const void *)desc;
        *found = 1;
        printf("kml note in memory: version=%u flags=%#x\n", k->version,
               k->flags);
      }
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  return 1; /* only the main program */
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--notes") == 0) {
    int found = 0;
    dl_iterate_phdr(find_note, &found);
    if (!found)
      printf("no kml note in memory\n");
    return 0;
  }
  tls_counter++;
  char *heap = malloc(1 << 20);
  strcpy(heap, "heap");
  printf("hello tls=%d %s argc=%d\n", tls_counter, heap, argc);
  for (int i = 1; i < argc; i++)
    printf("arg[%d]=%s\n", i, argv[i]);
  fprintf(stderr, "to stderr\n");
  free(heap);
  return 7;
}
