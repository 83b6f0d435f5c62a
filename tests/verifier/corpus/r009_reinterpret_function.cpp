// EXPECT: KML-R003 KML-R009
// reinterpret_cast to a function pointer.
using Entry = int (*)();

int jump(long address) { return reinterpret_cast<Entry>(address)(); }
