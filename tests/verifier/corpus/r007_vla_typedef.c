// EXPECT: KML-R007
// A variably modified type is rejected where it is declared.
int rows(int n) {
  typedef int row[n];
  return (int)sizeof(row);
}
