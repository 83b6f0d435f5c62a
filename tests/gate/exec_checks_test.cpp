// `kml verify` makes kml.ko's exec checks around the signature too
// (userspace/kml/exec_checks.hpp): a marked program's image before its
// signature (anonymous-exec, dynamic), and after it what the approval
// must also cover (bypass-not-allowed, unapproved-mapping), with the
// kernel's reason names and in the kernel's order.

#include "gate_fixture.hpp"

#include <elf.h>

#include <cstring>
#include <functional>

namespace kml::test {
namespace {

class ExecChecksTest : public GateTest {
protected:
  void SetUp() override {
    GateTest::SetUp();
    prog_ = copyProgram("glibc-static", "prog");
  }

  void mark(const std::vector<std::string> &args = {}) {
    std::vector<std::string> argv{"mark", prog_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const RunResult result = kml(argv);
    ASSERT_EQ(result.exitCode, 0) << result.err;
  }

  // Applies edit to the first program header of type whose flags have all
  // of has; fails the test if there is none.
  void editHeader(std::uint32_t type, std::uint32_t has,
                  const std::function<void(Elf64_Phdr &, std::size_t)> &edit) {
    std::vector<std::byte> bytes = readBytes(prog_);
    Elf64_Ehdr eh{};
    std::memcpy(&eh, bytes.data(), sizeof(eh));
    for (std::size_t i = 0; i < eh.e_phnum; ++i) {
      const std::size_t off = eh.e_phoff + i * sizeof(Elf64_Phdr);
      Elf64_Phdr ph{};
      std::memcpy(&ph, bytes.data() + off, sizeof(ph));
      if (ph.p_type != type || (ph.p_flags & has) != has) {
        continue;
      }
      edit(ph, bytes.size());
      std::memcpy(bytes.data() + off, &ph, sizeof(ph));
      writeBytes(prog_, bytes);
      return;
    }
    FAIL() << "no program header of type " << type;
  }

  void addFlags(std::uint32_t type, std::uint32_t has, std::uint32_t add) {
    editHeader(type, has,
               [add](Elf64_Phdr &ph, std::size_t) { ph.p_flags |= add; });
  }

  fs::path prog_;
};

TEST_F(ExecChecksTest, ExecutableStackIsAnonymousExec) {
  mark();
  addFlags(PT_GNU_STACK, 0, PF_X);
  signOk(prog_);
  EXPECT_EQ(outcome(verify(prog_)), "anonymous-exec");
}

TEST_F(ExecChecksTest, WritableCodeSegmentIsAnonymousExec) {
  mark();
  addFlags(PT_LOAD, PF_X, PF_W);
  signOk(prog_);
  const RunResult result = verify(prog_);
  EXPECT_EQ(outcome(result), "anonymous-exec");
  EXPECT_NE(result.out.find("a writable and executable segment"),
            std::string::npos)
      << result.out;
}

TEST_F(ExecChecksTest, CodeSegmentWithABssIsAnonymousExec) {
  mark();
  editHeader(PT_LOAD, PF_X,
             [](Elf64_Phdr &ph, std::size_t) { ph.p_memsz += 4096; });
  signOk(prog_);
  EXPECT_EQ(outcome(verify(prog_)), "anonymous-exec");
}

TEST_F(ExecChecksTest, TheImageIsJudgedBeforeTheSignature) {
  // As at exec: an unsigned program with writable code is anonymous-exec.
  mark();
  addFlags(PT_LOAD, PF_X, PF_W);
  EXPECT_EQ(outcome(verify(prog_)), "anonymous-exec");
}

TEST_F(ExecChecksTest, AnUnmarkedProgramsImageIsNotTheGatesBusiness) {
  // exec never asks kml.ko about it: only its signature is checked.
  addFlags(PT_GNU_STACK, 0, PF_X);
  signOk(prog_);
  EXPECT_EQ(outcome(verify(prog_)), "allowed");
}

TEST_F(ExecChecksTest, TheBypassNeedsTheManifestsApproval) {
  mark({"--bypass"});
  signOk(prog_);
  const RunResult result = verify(prog_);
  EXPECT_EQ(outcome(result), "bypass-not-allowed");
  EXPECT_NE(result.out.find("the manifest does not approve it"),
            std::string::npos)
      << result.out;
  signOk(prog_, {"--bypass"});
  EXPECT_EQ(outcome(verify(prog_)), "allowed");
  EXPECT_EQ(outcome(verify(prog_, {"--allow-bypass", "0"})),
            "bypass-not-allowed");
}

TEST_F(ExecChecksTest, AllowBypassOffConcernsOnlyProgramsThatAskForIt) {
  mark();
  signOk(prog_, {"--bypass"});
  EXPECT_EQ(outcome(verify(prog_, {"--allow-bypass", "0"})), "allowed");
}

TEST_F(ExecChecksTest, CodeInTheSignaturesPageIsUnapprovedMapping) {
  // The code segment reaches the end of the file, whose last page the
  // appended signature shares: those pages are not all signed bytes.
  mark();
  editHeader(PT_LOAD, PF_X, [](Elf64_Phdr &ph, std::size_t size) {
    ph.p_filesz = size - ph.p_offset;
    ph.p_memsz = ph.p_filesz;
  });
  signOk(prog_);
  const RunResult result = verify(prog_);
  EXPECT_EQ(outcome(result), "unapproved-mapping");
  EXPECT_NE(result.out.find("code pages reach past the signed bytes"),
            std::string::npos)
      << result.out;
}

TEST_F(ExecChecksTest, ADynamicProgramIsDynamic) {
  prog_ = copyProgram("glibc-dynamic", "dyn");
  EXPECT_EQ(outcome(verify(prog_)), "dynamic");
}

TEST_F(ExecChecksTest, AllowBypassTakesOnlyZeroOrOne) {
  const RunResult result = verify(prog_, {"--allow-bypass", "yes"});
  EXPECT_EQ(result.exitCode, 64) << result.out << result.err;
  EXPECT_NE(result.err.find("--allow-bypass is 0 or 1"), std::string::npos)
      << result.err;
}

} // namespace
} // namespace kml::test
