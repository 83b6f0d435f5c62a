// EXPECT: KML-R003 KML-R009
// A function pointer forged from an integer.
typedef void (*fn)(void);

void run(unsigned long addr) { ((fn)addr)(); }
