// Shared objects: this host's glibc loader and libc (Debian's, as the VM
// ships them), rewritten and run at ring 3 with unmodified dynamic
// programs, and what the rewriter does differently for each kind of file
// (docs/dynamic.md): a loader keeps its entry point and jumps from it to
// the prologue, a library's stubs find the direct entry themselves, and a
// library with no way to find it keeps the `syscall` slow path.

#include "support.hpp"

#include "kml/elf_image.hpp"
#include "kml/rewrite/rewriter.hpp"

#include <gtest/gtest.h>

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <sstream>

namespace kml::rwtest {
namespace {

const fs::path kLoader = "/lib64/ld-linux-x86-64.so.2";
const fs::path kLibc = "/lib/x86_64-linux-gnu/libc.so.6";

Elf64_Ehdr headerOf(const std::vector<std::byte> &bytes) {
  Elf64_Ehdr ehdr{};
  std::memcpy(&ehdr, bytes.data(), sizeof ehdr);
  return ehdr;
}

// The file offset of a virtual address, through the PT_LOADs.
std::uint64_t offsetOf(const std::vector<std::byte> &bytes,
                       std::uint64_t address) {
  const Elf64_Ehdr ehdr = headerOf(bytes);
  for (unsigned i = 0; i < ehdr.e_phnum; ++i) {
    Elf64_Phdr ph{};
    std::memcpy(&ph, bytes.data() + ehdr.e_phoff + i * sizeof ph, sizeof ph);
    if (ph.p_type == PT_LOAD && address >= ph.p_vaddr &&
        address - ph.p_vaddr < ph.p_filesz) {
      return ph.p_offset + (address - ph.p_vaddr);
    }
  }
  throw std::runtime_error("address outside the file");
}

// Rewrites this host's loader and libc into one directory, once.
class RewrittenGlibc : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    for (const fs::path &file : {kLoader, kLibc}) {
      const RunResult r =
          kml({"rewrite", file.string(), "-o",
               (*dir_ / file.filename().string()).string(), "--json"});
      ASSERT_EQ(r.exitCode, 0) << r.err;
      reports_.push_back(r.out);
    }
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static fs::path loader() { return *dir_ / kLoader.filename().string(); }
  static fs::path libc() { return *dir_ / kLibc.filename().string(); }
  // `loader --library-path DIR PROGRAM ARGS`, as `kml run` starts it.
  static RunResult runThrough(const std::vector<std::string> &command,
                              const std::string &input = "") {
    std::vector<std::string> argv{loader().string(), "--library-path",
                                  dir_->path().string()};
    argv.insert(argv.end(), command.begin(), command.end());
    return run(argv, input);
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::vector<std::string> reports_; // loader, libc
};

TEST_F(RewrittenGlibc, TheLoaderKeepsItsEntryPointWhichJumpsToThePrologue) {
  const auto before = readBytes(kLoader);
  const auto after = readBytes(loader());
  const std::uint64_t entry = headerOf(before).e_entry;
  // glibc's ld.so knows it runs as a program only if AT_ENTRY is _start.
  EXPECT_EQ(headerOf(after).e_entry, entry);
  EXPECT_EQ(after[offsetOf(after, entry)], std::byte{0xe9});
  EXPECT_NE(reports_[0].find("\"entry_source\":\"entry hook\""),
            std::string::npos)
      << reports_[0];
  const RunResult version = run({loader().string(), "--version"});
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_EQ(version.out, run({kLoader.string(), "--version"}).out);
}

TEST_F(RewrittenGlibc, LibcStubsFindTheEntryThemselves) {
  EXPECT_NE(reports_[1].find("\"entry_source\":\"finder\""), std::string::npos)
      << reports_[1];
  EXPECT_EQ(headerOf(readBytes(libc())).e_entry,
            headerOf(readBytes(kLibc)).e_entry);
}

// Every site but the rt_sigreturn trampoline, in both: what the direct
// share in the VM rests on.
TEST_F(RewrittenGlibc, CoversEverySiteButTheSignalTrampoline) {
  for (const std::string &report : reports_) {
    const auto field = [&](const std::string &name) {
      const auto at = report.find("\"" + name + "\":");
      return std::stoul(report.substr(at + name.size() + 3));
    };
    EXPECT_GT(field("found"), 40U);
    EXPECT_EQ(field("left"), 1U) << report;
    EXPECT_NE(report.find("rt_sigreturn trampoline"), std::string::npos);
  }
}

// Unmodified dynamic programs, natively and through the rewritten loader
// and libc: the same output and exit status (threads sorted).
TEST_F(RewrittenGlibc, UnmodifiedDynamicProgramsRunTheSame) {
  for (const std::string name :
       {"dynamic", "workload-dynamic", "threads-dynamic"}) {
    const std::vector<std::string> command{program(name).string(), "one",
                                           "two words"};
    RunResult native = run(command, "some input\n");
    RunResult through = runThrough(command, "some input\n");
    std::istringstream a(native.out);
    std::istringstream b(through.out);
    std::vector<std::string> la;
    std::vector<std::string> lb;
    for (std::string l; std::getline(a, l);) {
      la.push_back(l);
    }
    for (std::string l; std::getline(b, l);) {
      lb.push_back(l);
    }
    std::ranges::sort(la);
    std::ranges::sort(lb);
    EXPECT_EQ(la, lb) << name;
    EXPECT_EQ(native.exitCode, through.exitCode) << name;
  }
}

// The address of a section, by name (the rewriter's .kml.data).
std::uint64_t sectionAddress(const std::vector<std::byte> &bytes,
                             const std::string &name) {
  const Elf64_Ehdr ehdr = headerOf(bytes);
  std::vector<Elf64_Shdr> sections(ehdr.e_shnum);
  std::memcpy(sections.data(), bytes.data() + ehdr.e_shoff,
              sections.size() * sizeof(Elf64_Shdr));
  const Elf64_Shdr &names = sections.at(ehdr.e_shstrndx);
  for (const Elf64_Shdr &sh : sections) {
    const auto *text = reinterpret_cast<const char *>(bytes.data()) +
                       names.sh_offset + sh.sh_name;
    if (name == text) {
      return sh.sh_addr;
    }
  }
  throw std::runtime_error("no section " + name);
}

// The finder and a library's direct path, at CPL 3: finder_probe.c puts
// AT_KML_ENTRY, aimed at a stand-in for the kernel's entry, into its
// auxiliary vector and empties libc's slot; the finder must find it, and
// files, fork, vfork, posix_spawn, threads and restarted reads must work
// through the stubs' direct and restart paths.
TEST_F(RewrittenGlibc, TheFinderFindsTheEntryAndTheDirectPathWorks) {
  const std::string data =
      std::to_string(sectionAddress(readBytes(libc()), ".kml.data"));
  const RunResult r =
      run({loader().string(), "--library-path", dir_->path().string(),
           program("finder-probe").string()},
          "", {"KML_DATA=" + data});
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "entry found: yes\n"
                   "looked: 1\n"
                   "errno: ENOENT\n"
                   "fork: child 7\n"
                   "vfork and exec: 0\n"
                   "spawned\n"
                   "threads: 800\n"
                   "restarted read: 1, signals: several\n"
                   "direct calls: many\n");
}

// A fork, a shell pipeline and an exec from a program started this way.
TEST_F(RewrittenGlibc, ShellsForkAndExecThroughIt) {
  const RunResult r =
      runThrough({"/bin/sh", "-c", "echo a b c | tr a-z A-Z; exit 7"});
  EXPECT_EQ(r.exitCode, 7);
  EXPECT_EQ(r.out, "A B C\n");
}

// libc is marked like the rest, but a rewrite of a rewrite is refused.
TEST_F(RewrittenGlibc, ARewrittenLibraryIsNotRewrittenTwice) {
  TempDir dir;
  const RunResult r =
      kml({"rewrite", libc().string(), "-o", (dir / "again").string()});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("already rewritten"), std::string::npos) << r.err;
}

// kml run: the program's own loader (CPL 3), or with --ring0 kml's (on
// this host, without kml.ko, that runs at CPL 3 too), and kml's libc
// either way.
TEST_F(RewrittenGlibc, KmlRunUsesKmlsLibcWithEitherLoader) {
  const std::string dir = "--kml-dir=" + dir_->path().string();
  for (const bool ring0 : {false, true}) {
    std::vector<std::string> args{"run", dir, "/bin/cat", "/proc/self/maps"};
    if (ring0) {
      args.insert(args.begin() + 1, "--ring0");
    }
    const RunResult maps = kml(args);
    ASSERT_EQ(maps.exitCode, 0) << maps.err;
    EXPECT_NE(maps.out.find(libc().string()), std::string::npos) << maps.out;
    EXPECT_EQ(maps.out.find(kLibc.string()), std::string::npos) << maps.out;
    EXPECT_EQ(maps.out.find(loader().string()) != std::string::npos, ring0)
        << maps.out;
    args = {"run", dir, program("dynamic").string(), "x"};
    if (ring0) {
      args.insert(args.begin() + 1, "--ring0");
    }
    const RunResult hello = kml(args);
    EXPECT_EQ(hello.exitCode, 3);
    EXPECT_EQ(hello.out, "arg 1: x\nenv: (unset)\n");
  }
}

TEST(KmlRun, RefusesWhatItCannotRun) {
  TempDir dir;
  EXPECT_EQ(kml({"run"}).exitCode, 64);
  EXPECT_EQ(kml({"run", "--kml-dir"}).exitCode, 64);
  EXPECT_EQ(kml({"run", "--bogus", "/bin/true"}).exitCode, 64);
  const RunResult missing = kml({"run", "kml-no-such-program"});
  EXPECT_EQ(missing.exitCode, 66);
  EXPECT_NE(missing.err.find("not found"), std::string::npos) << missing.err;
  const RunResult isStatic =
      kml({"run", program("hello-glibc-static").string()});
  EXPECT_EQ(isStatic.exitCode, 1);
  EXPECT_NE(isStatic.err.find("static program"), std::string::npos)
      << isStatic.err;
  const RunResult noLoader =
      kml({"run", "--ring0", "--kml-dir", dir.path().string(), "/bin/true"});
  EXPECT_EQ(noLoader.exitCode, 69);
  EXPECT_NE(noLoader.err.find("kml's loader"), std::string::npos)
      << noLoader.err;
}

TEST(SharedObjects, ALibraryWithoutLibcKeepsTheSlowPathAndSaysSo) {
  TempDir dir;
  const RunResult r = kml({"rewrite", program("librawlib.so").string(), "-o",
                           (dir / "out.so").string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("1 syscall sites, 1 rewritten"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("no stub can find the direct entry"), std::string::npos)
      << r.out;
}

// A site right at a loader's entry: the hook keeps those bytes, the site
// stays `syscall`, and the rewritten loader still runs.
TEST(SharedObjects, TheEntryHookWinsOverASiteAtTheEntry) {
  TempDir dir;
  const fs::path out = dir / "ld-linux-test.so.2";
  const RunResult r = kml(
      {"rewrite", program("ld-linux-test.so.2").string(), "-o", out.string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("1 x overlaps the loader's entry hook"),
            std::string::npos)
      << r.out;
  const auto bytes = readBytes(out);
  const std::uint64_t entry = headerOf(bytes).e_entry;
  EXPECT_EQ(bytes[offsetOf(bytes, entry)], std::byte{0xe9});
  EXPECT_EQ(run({out.string()}).exitCode, 0);
  EXPECT_EQ(run({program("ld-linux-test.so.2").string()}).exitCode, 0);
}

// Without section headers no relocation is known: refused, not guessed.
TEST(SharedObjects, OneWithoutSectionHeadersIsRefused) {
  TempDir dir;
  auto bytes = readBytes(program("librawlib.so"));
  Elf64_Ehdr ehdr = headerOf(bytes);
  ehdr.e_shoff = 0;
  ehdr.e_shnum = 0;
  ehdr.e_shstrndx = 0;
  std::memcpy(bytes.data(), &ehdr, sizeof ehdr);
  writeBytes(dir / "stripped.so", bytes);
  const RunResult r = kml({"rewrite", (dir / "stripped.so").string(), "-o",
                           (dir / "out.so").string()});
  EXPECT_EQ(r.exitCode, 65);
  EXPECT_NE(r.err.find("without section headers"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out.so"));
}

// Only the rewriter takes shared objects: kml mark refuses them as before.
TEST(SharedObjects, MarkStillRefusesThem) {
  TempDir dir;
  const RunResult r =
      kml({"mark", kLibc.string(), "-o", (dir / "libc.so.6").string()});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("only kml rewrite takes"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "libc.so.6"));
}

} // namespace
} // namespace kml::rwtest
