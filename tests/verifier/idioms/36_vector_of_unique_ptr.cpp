// EXPECT: accept
// A vector that owns heap objects through unique_ptr.
#include <memory>
#include <vector>
struct Job {
  int cost;
  explicit Job(int c) : cost(c) {}
};
int main() {
  std::vector<std::unique_ptr<Job>> jobs;
  for (int i = 1; i <= 3; ++i)
    jobs.push_back(std::make_unique<Job>(i));
  int total = 0;
  for (const auto &job : jobs)
    total += job->cost;
  return total;
}
