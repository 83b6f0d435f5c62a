// EXPECT: KML-R003
// const_cast lets code write through a read-only view.
void zero(const int &v) { const_cast<int &>(v) = 0; }
