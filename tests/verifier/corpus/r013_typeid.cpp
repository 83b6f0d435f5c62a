// EXPECT: KML-R013
// typeid needs RTTI.
#include <typeinfo>

struct Base {
  virtual ~Base() = default;
};

unsigned long id_size(const Base &b) { return sizeof(typeid(b)); }
