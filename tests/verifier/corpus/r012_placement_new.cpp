// EXPECT: KML-R012
// Placement new builds objects in raw storage.
#include <new>

struct Item {
  int v = 1;
};

int build() {
  alignas(Item) unsigned char storage[sizeof(Item)];
  Item *it = new (storage) Item();
  return it->v;
}
