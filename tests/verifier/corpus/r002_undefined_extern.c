// EXPECT: KML-R002
// A function declared but defined nowhere in the program is external and
// not allowlisted.
void helper_from_somewhere(int);

int main(void) {
  helper_from_somewhere(3);
  return 0;
}
