// EXPECT: accept
// Near miss: an application's own mprotect in a namespace and as a member;
// only libc's global functions are KML-R015's business.
namespace sim {
struct page {
  int prot = 0;
  int mprotect(int p) {
    prot = p;
    return 0;
  }
};
int mprotect(page &pg, int prot) { return pg.mprotect(prot); }
} // namespace sim

int main() {
  sim::page pg;
  int runtime_prot = pg.prot + 4;
  return sim::mprotect(pg, runtime_prot) + pg.mprotect(7);
}
