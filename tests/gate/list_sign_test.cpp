// `kml sign --list`: the entries, roles and order of an approval list, the
// options it carries, and every refused input leaving nothing behind.

#include "list_fixture.hpp"

#include "kml/gate/sha256.hpp"

#include <linux/kml_manifest.h>

#include <algorithm>
#include <fstream>

namespace kml::test {
namespace {

using gate::Role;

class ListSignTest : public ListTest {
protected:
  // The role the list gives file when it is signed alone.
  Role roleOf(const fs::path &file) {
    const gate::Manifest list = readList(signListOk({file}));
    EXPECT_EQ(list.entries.size(), 1U);
    return list.entries.front().role;
  }

  // kml sign --list is expected to fail with code and leave no output and
  // no temporary file (and an existing output as it was).
  void expectRefused(const std::vector<fs::path> &files,
                     const std::vector<std::string> &args, int code,
                     const std::string &message) {
    const fs::path out = dir_ / "refused-list";
    const auto before = listDir(dir_.path());
    const RunResult result = signList(out, files, args);
    EXPECT_EQ(result.exitCode, code) << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_EQ(listDir(dir_.path()), before);
  }

  // n different files: a small static program with a counter appended,
  // which makes its bytes its own and keeps it a valid ELF file.
  std::vector<fs::path> manyElfFiles(std::size_t n) {
    const fs::path dir = dir_ / "many";
    fs::create_directory(dir);
    const std::vector<std::byte> base = readBytes(program("nolibc-static"));
    std::vector<fs::path> files;
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::byte> bytes = base;
      const auto *counter = reinterpret_cast<const std::byte *>(&i);
      bytes.insert(bytes.end(), counter, counter + sizeof i);
      files.push_back(dir / std::to_string(i));
      writeBytes(files.back(), bytes);
    }
    return files;
  }
};

TEST_F(ListSignTest, AListHasOneEntryPerFileCoveringTheWholeFile) {
  const gate::Manifest list = readList(signListOk(allInputs()));
  ASSERT_EQ(list.entries.size(), allInputs().size());
  for (const fs::path &file : allInputs()) {
    const auto entry = entryFor(list, file);
    if (!entry) {
      FAIL() << file << " is not in the list";
    }
    EXPECT_EQ(entry->length, fs::file_size(file)) << file;
    EXPECT_EQ(entry->assurance, gate::Assurance::Trusted) << file;
    EXPECT_EQ(entry->flags, KML_MANIFEST_F_RING0) << file;
    EXPECT_EQ(entry->rulesetVersion, 0U) << file;
    EXPECT_EQ(entry->attestation, gate::Digest{}) << file;
  }
  EXPECT_EQ(list.generation, 1U);
}

TEST_F(ListSignTest, EntriesAreSortedByDigest) {
  const gate::Manifest list = readList(signListOk(allInputs()));
  ASSERT_GT(list.entries.size(), 2U);
  for (std::size_t i = 1; i < list.entries.size(); ++i) {
    EXPECT_LT(list.entries[i - 1].digest, list.entries[i].digest) << i;
  }
}

TEST_F(ListSignTest, TheInputOrderDoesNotChangeTheList) {
  auto reversed = allInputs();
  std::ranges::reverse(reversed);
  const gate::Manifest forward = readList(signListOk(allInputs()));
  const gate::Manifest backward = readList(signListOk(reversed));
  EXPECT_EQ(forward, backward);
}

// A file of ListTest's inputs (dir_/in/NAME) and the role it must get.
struct RoleCase {
  std::string sentence; // the test's name
  std::string input;
  Role role;
};

// The test names say the case; ctest's line need not show its bytes.
void PrintTo(const RoleCase &role, std::ostream *out) { *out << role.input; }

class ListRoleTest : public ListSignTest,
                     public ::testing::WithParamInterface<RoleCase> {};

TEST_P(ListRoleTest, TheRoleComesFromTheElfHeaders) {
  EXPECT_EQ(roleOf(dir_ / "in" / GetParam().input), GetParam().role);
}

INSTANTIATE_TEST_SUITE_P(
    Roles, ListRoleTest,
    ::testing::Values(
        RoleCase{"AStaticExecutableIsAProgram", "static", Role::Program},
        RoleCase{"AStaticPieIsAProgram", "static-pie", Role::Program},
        RoleCase{"ADynamicPieIsAProgram", "dynamic", Role::Program},
        RoleCase{"ASharedLibraryIsALibrary", "libkmltest.so.1", Role::Library},
        RoleCase{"ALibraryWithAnInterpreterLikeLibcIsStillALibrary",
                 "libkmltest-runnable.so.1", Role::Library},
        RoleCase{"ALoaderNamedLdLinuxIsAnInterpreter", "ld-linux-kml-test.so.2",
                 Role::Interpreter}),
    [](const ::testing::TestParamInfo<RoleCase> &info) {
      return info.param.sentence;
    });

TEST_F(ListSignTest, TheInterpreterOptionMakesALibraryAnInterpreter) {
  const gate::Manifest list = readList(
      signListOk({staticProgram_}, {"--interpreter", library_.string()}));
  ASSERT_EQ(list.entries.size(), 2U);
  const auto library = entryFor(list, library_);
  const auto program = entryFor(list, staticProgram_);
  if (!library || !program) {
    FAIL() << "the library or the program is not in the list";
  }
  EXPECT_EQ(library->role, Role::Interpreter);
  EXPECT_EQ(program->role, Role::Program);
}

TEST_F(ListSignTest, TheInterpreterOptionRefusesAFileThatNeedsALoader) {
  expectRefused({}, {"--interpreter", dynamicProgram_.string()}, 1,
                "PT_INTERP");
}

TEST_F(ListSignTest, TwoPathsWithTheSameBytesBecomeOneEntry) {
  const fs::path copy = copyInput(library_, "libkmltest-copy.so.1");
  const fs::path out = dir_ / "list";
  const RunResult result = signList(out, {library_, staticProgram_, copy});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  const gate::Manifest list = readList(out);
  EXPECT_EQ(list.entries.size(), 2U);
  EXPECT_NE(result.out.find("merged     1 file with the same bytes"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(copy.string() + " = " + library_.string()),
            std::string::npos)
      << result.out;
}

TEST_F(ListSignTest, TheSameBytesWithTwoRolesAreRefused) {
  expectRefused({library_}, {"--interpreter", library_.string()}, 65,
                "an entry has one role");
}

TEST_F(ListSignTest, TheGenerationIsCarried) {
  const fs::path out = dir_ / "list";
  const RunResult result =
      signList(out, {staticProgram_}, {"--generation", "7"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_EQ(readList(out).generation, 7U);
  EXPECT_NE(result.out.find("generation 7\n"), std::string::npos) << result.out;
}

TEST_F(ListSignTest, BypassIsApprovedOnlyWhenAsked) {
  const gate::Manifest with =
      readList(signListOk({staticProgram_, library_}, {"--bypass"}));
  for (const gate::ManifestEntry &entry : with.entries) {
    EXPECT_EQ(entry.flags, KML_MANIFEST_F_RING0 | KML_MANIFEST_F_BYPASS);
  }
  const gate::Manifest without = readList(signListOk({staticProgram_}));
  EXPECT_EQ(without.entries.front().flags, KML_MANIFEST_F_RING0);
}

TEST_F(ListSignTest, TheSummaryCountsEntriesByRoleAndNamesTheKey) {
  const fs::path out = dir_ / "list";
  const RunResult result = signList(out, allInputs());
  ASSERT_EQ(result.exitCode, 0) << result.err;
  std::uint64_t covered = 0;
  for (const fs::path &file : allInputs()) {
    covered += fs::file_size(file);
  }
  EXPECT_EQ(result.out,
            "kml sign: approval list " + out.string() +
                "\n"
                "  entries    6: 3 programs, 1 interpreter, 2 libraries\n"
                "  covered    " +
                std::to_string(covered) +
                " bytes\n"
                "  generation 1\n"
                "  approves   ring0, assurance trusted\n"
                "  key        CN=kml development key default\n"
                "  size       " +
                std::to_string(fs::file_size(out)) + " bytes\n");
}

TEST_F(ListSignTest, TheListFileIsOnePkcs7MessageAndNothingElse) {
  const auto bytes = readBytes(signListOk({staticProgram_}));
  // DER: a SEQUENCE whose length is the rest of the file.
  ASSERT_GT(bytes.size(), 4U);
  EXPECT_EQ(bytes[0], std::byte{0x30});
  ASSERT_EQ(bytes[1], std::byte{0x82}) << "a two-byte length";
  const std::size_t length = (std::to_integer<std::size_t>(bytes[2]) << 8) |
                             std::to_integer<std::size_t>(bytes[3]);
  EXPECT_EQ(length + 4, bytes.size());
  EXPECT_LE(bytes.size(), static_cast<std::size_t>(KML_APPROVALS_MAX_LEN));
  // Checked by openssl on its own terms, signer and content.
  const RunResult openssl = run(
      {KML_OPENSSL, "cms", "-verify", "-binary", "-inform", "DER", "-in",
       (dir_ / "list").string(), "-CAfile", (keyDir() / "default.pem").string(),
       "-out", (dir_ / "content").string()});
  ASSERT_EQ(openssl.exitCode, 0) << openssl.err;
  const auto content = readBytes(dir_ / "content");
  EXPECT_EQ(std::string(reinterpret_cast<const char *>(content.data()), 8),
            KML_MANIFEST_MAGIC);
}

TEST_F(ListSignTest, ANonElfFileIsRefusedAndNothingIsWritten) {
  const fs::path text = dir_ / "in" / "script";
  writeBytes(text, {std::byte{'#'}, std::byte{'!'}, std::byte{'/'}});
  expectRefused({staticProgram_, text}, {}, 65, "not an ELF file");
}

TEST_F(ListSignTest, AMissingFileIsRefusedAndNothingIsWritten) {
  expectRefused({staticProgram_, dir_ / "in" / "missing"}, {}, 66,
                "No such file");
}

TEST_F(ListSignTest, AnObjectFileIsRefusedAndNothingIsWritten) {
  expectRefused({program("hello.o")}, {}, 1, "not an executable");
}

TEST_F(ListSignTest, NoFileIsAUsageErrorAndNothingIsWritten) {
  expectRefused({}, {}, 64, "--list needs at least one FILE");
}

TEST_F(ListSignTest, MoreFilesThanAListHoldsAreRefused) {
  const auto files = manyElfFiles(KML_MANIFEST_MAX_ENTRIES + 1);
  expectRefused(files, {}, 65,
                std::to_string(KML_MANIFEST_MAX_ENTRIES + 1) +
                    " different files: an approval list holds 1 to " +
                    std::to_string(KML_MANIFEST_MAX_ENTRIES));
}

TEST_F(ListSignTest, AsManyFilesAsAListHoldsAreSigned) {
  const auto files = manyElfFiles(KML_MANIFEST_MAX_ENTRIES);
  const gate::Manifest list = readList(signListOk(files));
  EXPECT_EQ(list.entries.size(),
            static_cast<std::size_t>(KML_MANIFEST_MAX_ENTRIES));
  EXPECT_LE(fs::file_size(dir_ / "list"),
            static_cast<std::size_t>(KML_APPROVALS_MAX_LEN));
}

TEST_F(ListSignTest, AListLargerThanTheKernelReadsIsRefused) {
  // A certificate of 600 KiB (subject alternative names) makes any list
  // larger than KML_APPROVALS_MAX_LEN.
  const fs::path config = dir_ / "big.cnf";
  {
    std::ofstream out(config);
    out << "[req]\ndistinguished_name = dn\nx509_extensions = ext\n"
           "prompt = no\n[dn]\nCN = kml big certificate\n[ext]\n"
           "subjectAltName = @alt\n[alt]\n";
    for (int i = 0; i < 10000; ++i) {
      out << "DNS." << i + 1 << " = host-" << i
          << ".a-rather-long-name-to-fill-the-certificate.example\n";
    }
  }
  const RunResult made =
      run({KML_OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
           "-days", "1", "-config", config.string(), "-keyout",
           (dir_ / "big.key").string(), "-out", (dir_ / "big.pem").string()});
  ASSERT_EQ(made.exitCode, 0) << made.err;
  ASSERT_GT(fs::file_size(dir_ / "big.pem"),
            static_cast<std::size_t>(KML_APPROVALS_MAX_LEN));
  expectRefused({staticProgram_},
                {"--key", (dir_ / "big.key").string(), "--cert",
                 (dir_ / "big.pem").string()},
                1, "more than the kernel reads");
}

TEST_F(ListSignTest, OnlyTrustedAssuranceIsAccepted) {
  for (const std::string assurance : {"validated", "verified"}) {
    expectRefused({staticProgram_}, {"--assurance", assurance}, 64,
                  "an approval list is trusted only");
  }
  EXPECT_EQ(readList(signListOk({staticProgram_}, {"--assurance", "trusted"}))
                .entries.front()
                .assurance,
            gate::Assurance::Trusted);
}

TEST_F(ListSignTest, AFailureLeavesAnExistingListAsItWas) {
  const fs::path out = signListOk({staticProgram_});
  const FileSnapshot before = snapshot(out);
  const RunResult result =
      signList(out, {staticProgram_, dir_ / "in" / "missing"});
  EXPECT_EQ(result.exitCode, 66) << result.err;
  EXPECT_EQ(snapshot(out), before);
}

} // namespace
} // namespace kml::test
