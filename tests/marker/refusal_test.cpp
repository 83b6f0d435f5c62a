// Every kind of input the marker commands refuse: the exit code, the
// message, and the input left exactly as it was (same inode, same bytes,
// no stray files next to it).

#include "marker_of.hpp"
#include "support.hpp"

#include "kml/elf_image.hpp"
#include "kml/marker_edit.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <functional>
#include <stdexcept>

namespace kml::test {
namespace {

constexpr int kFailure = 1;
constexpr int kUsage = 64;
constexpr int kDataErr = 65;
constexpr int kNoInput = 66;
constexpr int kIoErr = 74;

std::vector<std::byte> staticProgram() {
  return readBytes(program("glibc-static"));
}

std::vector<std::byte> markedProgram() {
  return withMarker(ElfImage(staticProgram()), true);
}

std::uint64_t markerDescOffset(const std::vector<std::byte> &bytes) {
  return markerOf(bytes).descOffset;
}

struct BadInput {
  std::string name;
  std::function<std::vector<std::byte>()> bytes;
  int exitCode;
  std::string message;
};

std::vector<BadInput> badInputs() {
  return {
      {"text_file",
       [] {
         const std::string text = "#!/bin/sh\necho not elf\n";
         std::vector<std::byte> bytes(text.size());
         std::memcpy(bytes.data(), text.data(), text.size());
         return bytes;
       },
       kDataErr, "not an ELF file"},
      {"empty_file", [] { return std::vector<std::byte>{}; }, kDataErr,
       "not an ELF file"},
      {"elf32",
       [] {
         auto b = staticProgram();
         b[EI_CLASS] = std::byte{ELFCLASS32};
         return b;
       },
       kFailure, "32-bit"},
      {"big_endian",
       [] {
         auto b = staticProgram();
         b[EI_DATA] = std::byte{ELFDATA2MSB};
         return b;
       },
       kFailure, "x86-64 only"},
      // libelf takes it for no ELF at all and records no error: the
      // message used to end in "libelf cannot parse the file: " with the
      // reason missing (found by tests/fuzz).
      {"unknown_elf_version",
       [] {
         auto b = staticProgram();
         b[EI_VERSION] = std::byte{0};
         return b;
       },
       kDataErr, "unknown ELF version 0"},
      {"aarch64",
       [] {
         auto b = staticProgram();
         store<Elf64_Half>(b, offsetof(Elf64_Ehdr, e_machine), EM_AARCH64);
         return b;
       },
       kFailure, "is not x86-64"},
      {"dynamic", [] { return readBytes(program("glibc-dynamic")); }, kFailure,
       "runs a dynamic program unmodified"},
      {"object_file", [] { return readBytes(program("hello.o")); }, kFailure,
       "not an executable"},
      {"truncated_header",
       [] {
         auto b = staticProgram();
         b.resize(40);
         return b;
       },
       kDataErr, "truncated ELF header"},
      {"truncated_file",
       [] {
         auto b = staticProgram();
         b.resize(b.size() / 2);
         return b;
       },
       kDataErr, "beyond the end of the file"},
      {"bad_phoff",
       [] {
         auto b = staticProgram();
         store<Elf64_Off>(b, offsetof(Elf64_Ehdr, e_phoff), 1ULL << 40);
         return b;
       },
       kDataErr, "program header table"},
      {"bad_phentsize",
       [] {
         auto b = staticProgram();
         store<Elf64_Half>(b, offsetof(Elf64_Ehdr, e_phentsize), 32);
         return b;
       },
       kDataErr, "program header entry size"},
      {"segment_beyond_end",
       [] {
         auto b = staticProgram();
         const auto eh = load<Elf64_Ehdr>(b, 0);
         auto ph = load<Elf64_Phdr>(b, eh.e_phoff);
         ph.p_filesz = ph.p_memsz = b.size() * 2;
         store(b, eh.e_phoff, ph);
         return b;
       },
       kDataErr, "segment 0"},
      {"load_beyond_user_space",
       [] {
         auto b = staticProgram();
         const auto eh = load<Elf64_Ehdr>(b, 0);
         auto ph = load<Elf64_Phdr>(b, eh.e_phoff);
         ph.p_vaddr = ph.p_paddr = 0xffffffff80000000ULL;
         store(b, eh.e_phoff, ph);
         return b;
       },
       kDataErr, "user address space"},
      {"two_markers",
       [] {
         // The GNU ABI tag note has type 1 too: renaming its owner to "KML"
         // makes a second marker next to the one kml mark added.
         auto b = markedProgram();
         const Elf64_Nhdr header{4, 16, NT_GNU_ABI_TAG};
         std::string pattern(reinterpret_cast<const char *>(&header),
                             sizeof header);
         pattern.append("GNU\0", 4);
         const std::string text(reinterpret_cast<const char *>(b.data()),
                                b.size());
         const auto at = text.find(pattern);
         if (at == std::string::npos) {
           throw std::runtime_error("no GNU ABI tag note");
         }
         std::memcpy(b.data() + at + sizeof header, KML_NOTE_NAME,
                     KML_NOTE_NAMESZ);
         return b;
       },
       kDataErr, "more than one KML marker"},
      {"short_descriptor",
       [] {
         auto b = markedProgram();
         const auto desc = markerDescOffset(b);
         // The note header (12 bytes) and the name (4) precede the
         // descriptor; n_descsz is the header's second word.
         store<Elf64_Word>(b, desc - 16 + offsetof(Elf64_Nhdr, n_descsz), 4);
         return b;
       },
       kDataErr, "at least 8"},
  };
}

// Keeps GoogleTest from dumping the struct's bytes in failure messages.
void PrintTo(const BadInput &input, std::ostream *out) { *out << input.name; }

class RefusalTest : public ::testing::TestWithParam<BadInput> {
protected:
  // Runs `kml args... FILE` on a fresh copy of the bad input and checks
  // the refusal and that nothing was touched.
  static void expectRefused(std::vector<std::string> args, int exitCode,
                            const std::string &message) {
    TempDir dir;
    const fs::path file = dir / "input";
    writeBytes(file, GetParam().bytes());
    const FileSnapshot before = snapshot(file);
    const auto entries = listDir(dir.path());
    args.insert(args.begin() + 1, file.string());
    const RunResult result = kml(args);
    EXPECT_EQ(result.exitCode, exitCode) << args[0] << ": " << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos)
        << args[0] << ": " << result.err;
    EXPECT_NE(result.err.find(file.string()), std::string::npos)
        << "the message names the file";
    EXPECT_EQ(snapshot(file), before) << args[0] << " modified the input";
    EXPECT_EQ(listDir(dir.path()), entries) << args[0] << " left files";
  }
};

TEST_P(RefusalTest, EveryCommandRefusesAndLeavesTheFileAlone) {
  const BadInput &input = GetParam();
  for (const auto &command :
       std::vector<std::vector<std::string>>{{"inspect"},
                                             {"inspect", "--json"},
                                             {"mark"},
                                             {"mark", "--disable"},
                                             {"enable"},
                                             {"disable"}}) {
    expectRefused(command, input.exitCode, input.message);
  }
}

TEST_P(RefusalTest, MarkToAnOutputFileWritesNothing) {
  TempDir dir;
  const fs::path file = dir / "input";
  writeBytes(file, GetParam().bytes());
  const RunResult result =
      kml({"mark", file.string(), "-o", (dir / "out").string()});
  EXPECT_EQ(result.exitCode, GetParam().exitCode) << result.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
}

INSTANTIATE_TEST_SUITE_P(Inputs, RefusalTest, ::testing::ValuesIn(badInputs()),
                         [](const auto &info) { return info.param.name; });

class MarkerStateTest : public ::testing::Test {
protected:
  fs::path write(const std::vector<std::byte> &bytes) {
    const fs::path file = dir_ / "input";
    writeBytes(file, bytes);
    return file;
  }
  TempDir dir_;
};

TEST_F(MarkerStateTest, NewerVersionIsShownButNotRewritten) {
  auto bytes = markedProgram();
  store<__u32>(bytes, markerDescOffset(bytes), KML_NOTE_VERSION + 1);
  const fs::path file = write(bytes);
  const FileSnapshot before = snapshot(file);

  const RunResult inspect = kml({"inspect", file.string()});
  EXPECT_EQ(inspect.exitCode, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("version:  2 (newer than this kml"),
            std::string::npos)
      << inspect.out;
  EXPECT_NE(inspect.out.find("refuses to run it"), std::string::npos);
  const RunResult json = kml({"inspect", "--json", file.string()});
  EXPECT_NE(json.out.find("\"version\": 2"), std::string::npos);
  EXPECT_NE(json.out.find("\"kernel\": \"refused\""), std::string::npos);

  for (const std::string command : {"enable", "disable", "mark"}) {
    const RunResult result = kml({command, file.string()});
    EXPECT_EQ(result.exitCode, kFailure) << command;
    EXPECT_NE(result.err.find("newer kml"), std::string::npos) << result.err;
    EXPECT_EQ(snapshot(file), before) << command;
  }
}

TEST_F(MarkerStateTest, EnableAndDisableNeedAMarker) {
  const fs::path file = write(staticProgram());
  const FileSnapshot before = snapshot(file);
  for (const std::string command : {"enable", "disable"}) {
    const RunResult result = kml({command, file.string()});
    EXPECT_EQ(result.exitCode, kFailure);
    EXPECT_NE(result.err.find("kml mark"), std::string::npos) << result.err;
    EXPECT_EQ(snapshot(file), before);
  }
}

TEST_F(MarkerStateTest, UnknownFlagBitsArePreservedAndReported) {
  auto bytes = markedProgram();
  const auto flagsAt = markerDescOffset(bytes) + 4;
  store<__u32>(bytes, flagsAt, KML_NOTE_F_ENABLE | (1U << 5));
  const fs::path file = write(bytes);
  const RunResult inspect = kml({"inspect", file.string()});
  EXPECT_NE(inspect.out.find("enable, 0x20"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("refuses to run it"), std::string::npos);
  ASSERT_EQ(kml({"disable", file.string()}).exitCode, 0);
  EXPECT_EQ(load<__u32>(readBytes(file), flagsAt), 1U << 5);
}

TEST(Unreadable, MissingFileAndDirectory) {
  TempDir dir;
  for (const std::string command : {"inspect", "mark", "enable", "disable"}) {
    const RunResult missing = kml({command, (dir / "missing").string()});
    EXPECT_EQ(missing.exitCode, kNoInput) << command;
    EXPECT_NE(missing.err.find("cannot open"), std::string::npos);
    const RunResult directory = kml({command, dir.path().string()});
    EXPECT_EQ(directory.exitCode, kNoInput) << command;
    EXPECT_NE(directory.err.find("not a regular file"), std::string::npos);
  }
  EXPECT_TRUE(listDir(dir.path()).empty());
}

TEST(Usage, BadArgumentsGiveUsageExitCode) {
  EXPECT_EQ(kml({"mark"}).exitCode, kUsage);
  EXPECT_EQ(kml({"mark", "a", "b"}).exitCode, kUsage);
  EXPECT_EQ(kml({"mark", "a", "-o"}).exitCode, kUsage);
  EXPECT_EQ(kml({"mark", "a", "--frobnicate"}).exitCode, kUsage);
  EXPECT_EQ(kml({"enable"}).exitCode, kUsage);
  EXPECT_EQ(kml({"disable", "a", "b"}).exitCode, kUsage);
  EXPECT_EQ(kml({"inspect"}).exitCode, kUsage);
  EXPECT_EQ(kml({"inspect", "--yaml", "a"}).exitCode, kUsage);
  const RunResult help = kml({"--help"});
  for (const char *name : {"mark", "enable", "disable", "inspect"}) {
    EXPECT_NE(help.out.find(name), std::string::npos) << name;
  }
}

TEST(AtomicWrite, OutputIntoMissingDirectoryFails) {
  TempDir dir;
  const fs::path file = dir / "prog";
  copyFile(program("glibc-static"), file);
  const FileSnapshot before = snapshot(file);
  const RunResult result =
      kml({"mark", file.string(), "-o", (dir / "no" / "out").string()});
  EXPECT_EQ(result.exitCode, kIoErr) << result.err;
  EXPECT_NE(result.err.find("temporary file"), std::string::npos) << result.err;
  EXPECT_EQ(snapshot(file), before);
}

// The temporary file cannot be created next to the target: the command
// fails before anything is renamed, and the original stays intact. Root
// ignores directory permissions, so as root the command runs as nobody.
TEST(AtomicWrite, ReadOnlyDirectoryLeavesTheOriginalIntact) {
  TempDir dir;
  const fs::path ro = dir / "ro";
  fs::create_directory(ro);
  const fs::path file = ro / "prog";
  copyFile(program("glibc-static"), file);
  fs::permissions(file, kMode0644);
  fs::permissions(dir.path(), kMode0755);
  fs::permissions(ro, kMode0555);
  const FileSnapshot before = snapshot(file);
  const std::optional<uid_t> user =
      ::geteuid() == 0 ? std::optional<uid_t>(65534) : std::nullopt;

  // Each step changes the file, so each needs the temporary file; between
  // steps the file is brought to the next state by us, in a writable
  // directory.
  const auto failsCleanly = [&](const std::string &command) {
    const FileSnapshot current = snapshot(file);
    const RunResult result = kml({command, file.string()}, user);
    if (result.exitCode == 126 || result.exitCode == 127) {
      GTEST_SKIP() << "cannot run kml as an unprivileged user here";
    }
    EXPECT_EQ(result.exitCode, kIoErr) << command << ": " << result.err;
    EXPECT_NE(result.err.find("cannot create a temporary file"),
              std::string::npos)
        << result.err;
    EXPECT_EQ(snapshot(file), current) << command;
    EXPECT_EQ(listDir(ro), std::vector<std::string>{"prog"});
  };
  const auto asOwner = [&](const std::string &command) {
    fs::permissions(ro, kMode0755);
    ASSERT_EQ(kml({command, file.string()}).exitCode, 0) << command;
    fs::permissions(file, kMode0644);
    fs::permissions(ro, kMode0555);
  };

  failsCleanly("mark");
  EXPECT_EQ(snapshot(file), before);
  asOwner("mark");
  failsCleanly("disable");
  asOwner("disable");
  failsCleanly("enable");
  // Nothing to change: no write, so the read-only directory is no obstacle.
  EXPECT_EQ(kml({"disable", file.string()}, user).exitCode, 0);
}

} // namespace
} // namespace kml::test
