// Proves the corpus layout, the deterministic listing of corpus folders, and where corpora are
// read and written under `bazel test`, `bazel run`, an explicit root, and a plain run.
#include "replays/corpus.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "replays/replay_file.h"

namespace laplace::replays {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A fresh, empty directory for one test.
std::string TestDir() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / "corpus_test" / info->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

void Touch(const std::string& path) { std::ofstream(path) << "x"; }

Replay ValidReplay(std::string_view test_name) {
  Replay replay;
  replay.set_format_version(kFormatVersion);
  replay.set_test_name(std::string(test_name));
  replay.mutable_strategy()->set_name("random-walk");
  replay.set_trace_digest("00000000deadbeef");
  return replay;
}

TEST(Corpus, TheLayoutIsPackageReplaysTestNameDigest) {
  EXPECT_EQ(CorpusDirectory("examples", "Bank.Transfers"), "examples/replays/Bank.Transfers");
  EXPECT_EQ(CorpusDirectory("examples/bank/", "Bank.Transfers"),
            "examples/bank/replays/Bank.Transfers");
  EXPECT_EQ(CorpusDirectory("", "Bank.Transfers"), "replays/Bank.Transfers");
  EXPECT_EQ(ReplayFileName(ValidReplay("Bank.Transfers")), "00000000deadbeef.textpb");
}

TEST(Corpus, AParameterizedTestGetsOneFolderWithoutSlashes) {
  EXPECT_TRUE(IsValidTestName("Inst/Bank.Transfers/3"));
  EXPECT_EQ(CorpusFolderName("Inst/Bank.Transfers/3"), "Inst-Bank.Transfers-3");
  EXPECT_FALSE(IsValidTestName("Bank"));
  EXPECT_FALSE(IsValidTestName("../Bank.Transfers"));
  EXPECT_FALSE(IsValidTestName("Bank.Trans fers"));
}

TEST(Corpus, ACorpusPathNamesItsTest) {
  EXPECT_EQ(TestNameOfCorpusPath("examples/replays/Bank.Transfers/00ff.textpb"), "Bank.Transfers");
  EXPECT_EQ(TestNameOfCorpusPath("/ws/replays/Inst-Bank.Transfers-3/00ff.textpb"),
            "Inst/Bank.Transfers/3");
  EXPECT_EQ(TestNameOfCorpusPath("replays/testdata/ok_full.textpb"), std::nullopt);
  EXPECT_EQ(TestNameOfCorpusPath("Bank.Transfers/00ff.textpb"), std::nullopt);
  EXPECT_EQ(TestNameOfCorpusPath("00ff.textpb"), std::nullopt);
}

TEST(Corpus, ListingSortsReplayFilesAndSkipsEverythingElse) {
  std::string dir = TestDir();
  for (const char* name : {"ff.textpb", "0a.textpb", "a0.textpb", "notes.txt", ".x.tmp-abc123",
                           ".hidden.textpb", "textpb", ".textpb"}) {
    Touch(dir + "/" + name);
  }
  std::filesystem::create_directories(dir + "/dir.textpb");
  absl::StatusOr<std::vector<std::string>> files = ListReplayFiles(dir);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(*files, ElementsAre(dir + "/0a.textpb", dir + "/a0.textpb", dir + "/ff.textpb"));
}

TEST(Corpus, AMissingFolderIsAnEmptyCorpus) {
  absl::StatusOr<std::vector<std::string>> files = ListReplayFiles(TestDir() + "/no/such/dir");
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_THAT(*files, IsEmpty());
}

TEST(Corpus, AFileWhereTheFolderShouldBeIsAnError) {
  std::string path = TestDir() + "/file";
  Touch(path);
  absl::StatusOr<std::vector<std::string>> files = ListReplayFiles(path);
  EXPECT_EQ(files.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(files.status().message()), ::testing::HasSubstr(path));
}

TEST(Corpus, PackageOfTargetReadsWorkspaceLabels) {
  EXPECT_EQ(PackageOfTarget("//examples:bank_test"), "examples");
  EXPECT_EQ(PackageOfTarget("//examples/bank"), "examples/bank");
  EXPECT_EQ(PackageOfTarget("@//examples:t"), "examples");
  EXPECT_EQ(PackageOfTarget("//:tool"), "");
  EXPECT_EQ(PackageOfTarget("@other//pkg:t"), std::nullopt);
  EXPECT_EQ(PackageOfTarget("examples:t"), std::nullopt);
}

TEST(Corpus, WritesGoUnderTheExplicitRootFirst) {
  CorpusEnvironment env{.corpus_root = "/corpus",
                        .build_workspace_directory = "/ws",
                        .test_undeclared_outputs_dir = "/out"};
  EXPECT_EQ(CorpusWritePath(env, "examples", ValidReplay("Bank.Transfers")),
            "/corpus/examples/replays/Bank.Transfers/00000000deadbeef.textpb");
}

TEST(Corpus, WritesGoIntoTheWorkspaceUnderBazelRun) {
  CorpusEnvironment env{.build_workspace_directory = "/ws/", .test_undeclared_outputs_dir = "/out"};
  EXPECT_EQ(CorpusWriteDirectory(env, "examples", "Bank.Transfers"),
            "/ws/examples/replays/Bank.Transfers");
}

TEST(Corpus, WritesGoToUndeclaredOutputsUnderBazelTest) {
  CorpusEnvironment env{.test_undeclared_outputs_dir = "/out", .test_srcdir = "/runfiles"};
  EXPECT_EQ(CorpusWriteDirectory(env, "examples", "Bank.Transfers"),
            "/out/examples/replays/Bank.Transfers");
}

TEST(Corpus, WritesGoUnderTheCurrentDirectoryOtherwise) {
  EXPECT_EQ(CorpusWriteDirectory(CorpusEnvironment{}, "examples", "Bank.Transfers"),
            "examples/replays/Bank.Transfers");
}

TEST(Corpus, ReadsComeFromRunfilesWhenTheCorpusIsThere) {
  std::string runfiles = TestDir();
  std::filesystem::create_directories(runfiles + "/laplace/examples/replays/Bank.Transfers");
  CorpusEnvironment env{
      .build_workspace_directory = "/ws", .test_srcdir = runfiles, .test_workspace = "laplace"};
  EXPECT_EQ(CorpusReadDirectory(env, "examples", "Bank.Transfers"),
            runfiles + "/laplace/examples/replays/Bank.Transfers");
}

TEST(Corpus, ReadsFallBackToTheWorkspaceThenTheCurrentDirectory) {
  CorpusEnvironment env{
      .build_workspace_directory = "/ws", .test_srcdir = TestDir(), .test_workspace = "laplace"};
  EXPECT_EQ(CorpusReadDirectory(env, "examples", "Bank.Transfers"),
            "/ws/examples/replays/Bank.Transfers");
  EXPECT_EQ(CorpusReadDirectory(CorpusEnvironment{}, "examples", "Bank.Transfers"),
            "examples/replays/Bank.Transfers");
}

TEST(Corpus, AWrittenReplayIsListedAndReadBackFromItsCorpus) {
  CorpusEnvironment env{.corpus_root = TestDir()};
  Replay replay = ValidReplay("Bank.Transfers");
  ASSERT_TRUE(WriteReplayFileAtomically(CorpusWritePath(env, "examples", replay), replay).ok());
  std::string dir = CorpusWriteDirectory(env, "examples", "Bank.Transfers");
  absl::StatusOr<std::vector<std::string>> files = ListReplayFiles(dir);
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_THAT(*files, ElementsAre(dir + "/00000000deadbeef.textpb"));
  EXPECT_TRUE(ReadReplayFile(files->front(), "Bank.Transfers").ok());
}

TEST(Corpus, WritesGoIntoTheSourceTreeFoundThroughTheTestsOwnRunfile) {
  // A runfiles tree whose source file links back to a "source tree".
  std::string root = TestDir();
  std::string tree = root + "/tree";
  std::filesystem::create_directories(tree + "/examples");
  std::filesystem::create_directories(root + "/runfiles/laplace/examples");
  { std::ofstream(tree + "/examples/bank_test.cc") << "// a test\n"; }
  std::filesystem::create_symlink(tree + "/examples/bank_test.cc",
                                  root + "/runfiles/laplace/examples/bank_test.cc");
  CorpusEnvironment env{.test_undeclared_outputs_dir = "/out",
                        .test_srcdir = root + "/runfiles",
                        .test_workspace = "laplace"};
  EXPECT_EQ(SourceTreeRoot(env, "examples/bank_test.cc"), std::filesystem::canonical(tree));
  EXPECT_EQ(CorpusWriteDirectory(env, "examples", "Bank.Transfers", "examples/bank_test.cc"),
            std::filesystem::canonical(tree).string() + "/examples/replays/Bank.Transfers");
  // Without the link (or without the file) the undeclared outputs are next.
  EXPECT_EQ(CorpusWriteDirectory(env, "examples", "Bank.Transfers", "examples/other_test.cc"),
            "/out/examples/replays/Bank.Transfers");
}

TEST(Corpus, TheReproduceCommandNamesTheFileRelativeToItsWorkspace) {
  std::string root = TestDir() + "/ws";
  std::filesystem::create_directories(root + "/pkg/replays/A.B");
  { std::ofstream(root + "/WORKSPACE") << ""; }
  EXPECT_EQ(ReproduceCommand(root + "/pkg/replays/A.B/f.textpb"),
            "bazel run //replays:laplace -- replay pkg/replays/A.B/f.textpb");
  EXPECT_EQ(ReproduceCommand("/nowhere/f.textpb"),
            "bazel run //replays:laplace -- replay /nowhere/f.textpb");
}

TEST(FuzzCorpusDirectory, IsTheFuzzFolderOfThePackageUnderTheRootOrTheWorkspace) {
  EXPECT_EQ(FuzzCorpusDirectory({}, "tests", "RareBug.Vault"), "tests/fuzz/RareBug.Vault");
  EXPECT_EQ(FuzzCorpusDirectory({.build_workspace_directory = "/ws"}, "tests/", "RareBug.Vault"),
            "/ws/tests/fuzz/RareBug.Vault");
  EXPECT_EQ(FuzzCorpusDirectory({.corpus_root = "/tmp/c", .build_workspace_directory = "/ws"}, "",
                                "P/A.B/1"),
            "/tmp/c/fuzz/P-A.B-1");
}

TEST(Artifacts, GoIntoTheUndeclaredOutputsAndNowhereOutsideABazelTest) {
  EXPECT_EQ(ArtifactDirectory({}, "Bank.Transfers"), "");
  absl::StatusOr<std::string> none = WriteArtifact({}, "Bank.Transfers", "f.txt", "x");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(*none, "");
  CorpusEnvironment env{.test_undeclared_outputs_dir = TestDir()};
  EXPECT_EQ(ArtifactDirectory(env, "P/A.B/1"),
            env.test_undeclared_outputs_dir + "/laplace/P-A.B-1");
  absl::StatusOr<std::string> path = WriteArtifact(env, "Bank.Transfers", "f.trace.txt", "trace");
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_EQ(*path, env.test_undeclared_outputs_dir + "/laplace/Bank.Transfers/f.trace.txt");
  std::ifstream in(*path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "trace");
}

}  // namespace
}  // namespace laplace::replays
