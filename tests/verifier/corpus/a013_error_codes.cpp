// EXPECT: accept
// Near miss: errors returned by value.
struct Result {
  bool ok;
  int value;
};

Result parse(int v) {
  if (v < 0)
    return {false, 0};
  return {true, v};
}

int use() {
  Result r = parse(4);
  return r.ok ? r.value : -1;
}
