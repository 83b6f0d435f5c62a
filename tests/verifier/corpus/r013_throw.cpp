// EXPECT: KML-R013
// Exceptions unwind through tables the verifier cannot follow.
int check(int v) {
  if (v < 0)
    throw v;
  return v;
}
