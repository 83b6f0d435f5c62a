// EXPECT: KML-R001
// An asm label renames the symbol: this would bind to another function.
extern int get_value(void) __asm__("kernel_internal_symbol");

int use(void) { return 1; }
