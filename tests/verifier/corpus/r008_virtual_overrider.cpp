// EXPECT: KML-R008
// The large frame is only reachable through virtual dispatch: a virtual
// call reaches every overrider (4 KiB in run + 6 KiB in Heavy::work).
struct Task {
  virtual ~Task() = default;
  virtual int work(int x) = 0;
};
struct Light : Task {
  int work(int x) override { return x; }
};
struct Heavy : Task {
  int work(int x) override {
    volatile char b[6000];
    b[0] = static_cast<char>(x);
    return b[0];
  }
};

int run(Task &t) {
  volatile char local[4000];
  local[0] = static_cast<char>(t.work(1));
  return local[0];
}

int main() {
  Heavy h;
  Light l;
  return run(h) + run(l);
}
