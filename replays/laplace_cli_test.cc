// Proves the `laplace` command line end to end by running the built binary: usage errors exit 2,
// damaged files exit 1 with the error (never a crash), and `replay` runs the right bazel command.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

extern char** environ;

namespace laplace::replays {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

struct Outcome {
  int exit_code = -1;  // 128 + signal when the tool was killed
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The directory the test runs in: the runfiles tree, where replays/laplace and
// replays/testdata/ are.
std::string Here() { return std::filesystem::current_path().string(); }
std::string Testdata(std::string_view name) {
  return Here() + "/replays/testdata/" + std::string(name);
}

// A fresh, empty directory named `purpose` for the current test.
std::string ScratchDir(std::string_view purpose = "files") {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "laplace_cli_test" /
                              info->name() / std::string(purpose);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Runs the laplace binary with `args`, with `env` added to (or replacing in)
// this process's environment. The Bazel variables that change the tool's
// behaviour are removed unless `env` sets them.
Outcome RunLaplace(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env = {}) {
  std::string scratch = ScratchDir("run");
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string item(*entry);
    std::string name = item.substr(0, item.find('='));
    if (env.count(name) > 0 || name == "BUILD_WORKSPACE_DIRECTORY" ||
        name == "BUILD_WORKING_DIRECTORY" || name == "LAPLACE_BAZEL") {
      continue;
    }
    environment.push_back(item);
  }
  for (const auto& [name, value] : env) environment.push_back(name + "=" + value);
  std::string binary = Here() + "/replays/laplace";
  std::vector<char*> argv = {binary.data()};
  std::vector<std::string> words = args;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& item : environment) envp.push_back(item.data());
  envp.push_back(nullptr);
  std::string out_path = scratch + "/stdout";
  std::string err_path = scratch + "/stderr";
  pid_t child = fork();
  if (child == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(out, 1);
    dup2(err, 2);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(126);
  }
  int status = 0;
  waitpid(child, &status, 0);
  Outcome outcome;
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.out = ReadAll(out_path);
  outcome.err = ReadAll(err_path);
  return outcome;
}

TEST(LaplaceCli, NoCommandPrintsUsageAndExitsTwo) {
  Outcome run = RunLaplace({});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, AllOf(HasSubstr("no command given"), HasSubstr("usage: laplace")));
  EXPECT_THAT(run.out, IsEmpty());
}

TEST(LaplaceCli, AnUnknownCommandOrFlagPrintsUsageAndExitsTwo) {
  Outcome command = RunLaplace({"frobnicate", "x.textpb"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_THAT(command.err, AllOf(HasSubstr("unknown command 'frobnicate'"), HasSubstr("usage:")));
  Outcome flag = RunLaplace({"show", "--verbose", Testdata("ok_full.textpb")});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("unknown flag '--verbose' for 'show'"));
  EXPECT_EQ(RunLaplace({"check", "--trace", Testdata("ok_full.textpb")}).exit_code, 2);
}

TEST(LaplaceCli, MissingOrExtraFilesAreUsageErrors) {
  EXPECT_THAT(RunLaplace({"show"}).err, HasSubstr("'show' needs at least one FILE"));
  EXPECT_EQ(RunLaplace({"check"}).exit_code, 2);
  EXPECT_EQ(RunLaplace({"replay", "--print"}).exit_code, 2);
  Outcome two = RunLaplace({"replay", "a.textpb", "b.textpb"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_THAT(two.err, HasSubstr("'replay' takes exactly one FILE"));
}

TEST(LaplaceCli, HelpPrintsUsageAndSucceeds) {
  Outcome run = RunLaplace({"help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, AllOf(StartsWith("usage: laplace"), HasSubstr("replay FILE [--trace"),
                             HasSubstr("trace FILE [--format=html|perfetto|text]")));
}

TEST(LaplaceCli, ShowPrintsTheReplayReadably) {
  Outcome run = RunLaplace({"show", Testdata("ok_full.textpb")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out,
              AllOf(HasSubstr("Bank.TransfersPreserveTotal (//examples:bank_test)"),
                    HasSubstr("invariant:total-balance-preserved (invariant)"),
                    HasSubstr("t=5.25ms, step 17"), HasSubstr("13 entries, 4 non-zero"),
                    HasSubstr("#12 schedule 1/3"), HasSubstr("t=5ms client-2 resumed after sleep"),
                    HasSubstr("tape 212 -> 13 entries")));
}

TEST(LaplaceCli, ShowOfEachDamagedFileExitsOneWithTheErrorAndNeverCrashes) {
  for (const auto& entry : std::filesystem::directory_iterator(Here() + "/replays/testdata")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("bad_", 0) != 0) continue;
    Outcome run = RunLaplace({"show", entry.path().string()});
    EXPECT_EQ(run.exit_code, 1) << name << ": " << run.err;
    EXPECT_THAT(run.err, AllOf(StartsWith("laplace: "), HasSubstr(name))) << name;
    EXPECT_THAT(run.out, IsEmpty()) << name;
  }
}

TEST(LaplaceCli, CheckPrintsOneLinePerFileAndFailsIfAnyIsBad) {
  Outcome run = RunLaplace({"check", Testdata("ok_full.textpb"), Testdata("bad_tape_value.textpb"),
                            Testdata("no_such_file.textpb")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "ok   " + Testdata("ok_full.textpb") + "\nBAD  " +
                         Testdata("bad_tape_value.textpb") +
                         ": not a usable replay: tape entry #9 (FAULT 100/100): value 100 is not "
                         "below its bound 100. Fix the file by hand, or delete it and rerun the "
                         "test to record a new one.\nBAD  " +
                         Testdata("no_such_file.textpb") + ": no such file; check the path\n");
  Outcome good = RunLaplace({"check", Testdata("ok_full.textpb"), Testdata("ok_minimal.textpb")});
  EXPECT_EQ(good.exit_code, 0) << good.out;
}

TEST(LaplaceCli, CheckRejectsAFileInAnotherTestsCorpusFolder) {
  std::string folder = ScratchDir() + "/examples/replays/Other.Test";
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(Testdata("ok_full.textpb"), folder + "/00c0ffee12345678.textpb");
  Outcome run = RunLaplace({"check", folder + "/00c0ffee12345678.textpb"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("this replay is for test Bank.TransfersPreserveTotal, not "
                                 "Other.Test"));
}

TEST(LaplaceCli, RelativeFilesAreTakenFromWhereBazelWasStarted) {
  Outcome run = RunLaplace({"show", "ok_full.textpb"},
                           {{"BUILD_WORKING_DIRECTORY", Here() + "/replays/testdata"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith(Testdata("ok_full.textpb") + "\n"));
}

TEST(LaplaceCli, ReplayPrintShowsTheBazelCommandFromTheWorkspaceRoot) {
  Outcome run = RunLaplace({"replay", "--print", Testdata("ok_full.textpb")},
                           {{"BUILD_WORKSPACE_DIRECTORY", "/ws"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "cd /ws && LAPLACE_REPLAY=" + Testdata("ok_full.textpb") +
                         " bazel run --test_sharding_strategy=disabled //examples:bank_test -- "
                         "--gtest_filter=Bank.TransfersPreserveTotal\n");
  Outcome traced = RunLaplace({"replay", Testdata("ok_full.textpb"), "--trace", "--print"},
                              {{"BUILD_WORKSPACE_DIRECTORY", "/ws"}});
  EXPECT_THAT(traced.out, HasSubstr(" LAPLACE_TRACE=1 bazel run "));
}

TEST(LaplaceCli, ConfidencePrintShowsTheTestRunWithItsRunsAndWindow) {
  Outcome run =
      RunLaplace({"confidence", Testdata("ok_full.textpb"), "--runs", "50", "--steps=3", "--print"},
                 {{"BUILD_WORKSPACE_DIRECTORY", "/ws"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "cd /ws && LAPLACE_REPLAY=" + Testdata("ok_full.textpb") +
                         " LAPLACE_CONFIDENCE=50:3 bazel run --test_sharding_strategy=disabled "
                         "//examples:bank_test -- "
                         "--gtest_filter=Bank.TransfersPreserveTotal\n");
  Outcome defaults = RunLaplace({"confidence", "--print", Testdata("ok_full.textpb")},
                                {{"BUILD_WORKSPACE_DIRECTORY", "/ws"}});
  EXPECT_THAT(defaults.out, HasSubstr(" LAPLACE_CONFIDENCE=100 bazel run "));
}

TEST(LaplaceCli, ConfidenceRefusesABadRunCountWithUsage) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"confidence", Testdata("ok_full.textpb"), "--runs", "0"},
        {"confidence", Testdata("ok_full.textpb"), "--runs=lots"},
        {"confidence", Testdata("ok_full.textpb"), "--steps"},
        {"confidence", Testdata("ok_full.textpb"), "--trace"}}) {
    Outcome run = RunLaplace(args);
    EXPECT_EQ(run.exit_code, 2) << args.back();
    EXPECT_THAT(run.err, HasSubstr("usage: laplace"));
  }
}

TEST(LaplaceCli, ReplayRunsBazelInTheWorkspaceAndExitsWithItsStatus) {
  std::string dir = ScratchDir();
  std::string fake = dir + "/fake-bazel";
  std::string log = dir + "/fake-bazel.log";
  std::ofstream(fake) << "#!/bin/sh\n"
                      << "echo \"$@\" >> '" << log << ".all'\n"
                      << "if [ \"$1\" = build ]; then exit 0; fi\n"
                      << "{ pwd; for a in \"$@\"; do echo \"arg:$a\"; done\n"
                      << "  echo \"LAPLACE_REPLAY=$LAPLACE_REPLAY\"\n"
                      << "  echo \"LAPLACE_TRACE=${LAPLACE_TRACE-unset}\"; } > '" << log << "'\n"
                      << "exit 3\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  std::string workspace = dir + "/ws";
  std::filesystem::create_directories(workspace);
  Outcome run = RunLaplace({"replay", Testdata("ok_full.textpb"), "--trace"},
                           {{"BUILD_WORKSPACE_DIRECTORY", workspace}, {"LAPLACE_BAZEL", fake}});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_THAT(run.err, HasSubstr("laplace: running cd "));
  EXPECT_EQ(ReadAll(log), workspace +
                              "\narg:run\narg:--test_sharding_strategy=disabled\narg://"
                              "examples:bank_test\narg:--\n" +
                              "arg:--gtest_filter=Bank.TransfersPreserveTotal\nLAPLACE_REPLAY=" +
                              Testdata("ok_full.textpb") + "\nLAPLACE_TRACE=1\n");
  // The test is built first, with the same flags.
  EXPECT_EQ(ReadAll(log + ".all"),
            "build --test_sharding_strategy=disabled //examples:bank_test\n"
            "run --test_sharding_strategy=disabled //examples:bank_test -- "
            "--gtest_filter=Bank.TransfersPreserveTotal\n");
}

// Under `bazel run` a build failure exits 1, as a replay that fails does; the tool builds first
// and gives a build failure its own status, 4, without running the test.
TEST(LaplaceCli, ABuildFailureExitsFourAndIsNotTakenForAFailingReplay) {
  std::string dir = ScratchDir();
  std::string fake = dir + "/fake-bazel";
  std::ofstream(fake)
      << "#!/bin/sh\n"
      << "echo \"$1\" >> '" << dir << "/calls'\n"
      << "if [ \"$1\" = build ]; then echo 'ERROR: compile failed' >&2; exit 1; fi\n"
      << "exit 1\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  for (const std::string command : {"replay", "confidence", "trace"}) {
    std::filesystem::remove(dir + "/calls");
    std::vector<std::string> args = {command, Testdata("ok_full.textpb")};
    if (command == "trace") args.push_back("--out=" + dir + "/t.html");
    Outcome run = RunLaplace(args, {{"BUILD_WORKSPACE_DIRECTORY", dir}, {"LAPLACE_BAZEL", fake}});
    EXPECT_EQ(run.exit_code, 4) << command << ": " << run.err;
    EXPECT_THAT(run.err, HasSubstr("the test was not built (" + fake +
                                   " build exited with status 1; its output above says why)"))
        << command;
    EXPECT_THAT(run.err, Not(HasSubstr("laplace: running"))) << command;
  }
  EXPECT_EQ(ReadAll(dir + "/calls"), "build\n");  // never `run`
  // Built, the test's own status comes through: 1 is a replay that fails.
  std::ofstream(fake) << "#!/bin/sh\nexit $([ \"$1\" = build ] && echo 0 || echo 1)\n";
  Outcome fails = RunLaplace({"replay", Testdata("ok_full.textpb")},
                             {{"BUILD_WORKSPACE_DIRECTORY", dir}, {"LAPLACE_BAZEL", fake}});
  EXPECT_EQ(fails.exit_code, 1) << fails.err;
}

TEST(LaplaceCli, ReplayTraceCanBeFilteredByNodeAndTask) {
  Outcome run = RunLaplace({"replay", Testdata("ok_full.textpb"), "--trace",
                            "--node=backup,primary", "--task=audit", "--print"},
                           {{"BUILD_WORKSPACE_DIRECTORY", "/ws"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr(" LAPLACE_TRACE=1 LAPLACE_TRACE_NODES=backup,primary "
                                 "LAPLACE_TRACE_TASKS=audit bazel run "));
  EXPECT_EQ(RunLaplace({"replay", Testdata("ok_full.textpb"), "--node="}).exit_code, 2);
}

// A fake bazel for `laplace trace`: writes `content` to $LAPLACE_TRACE_OUT
// (unless empty) and exits with `status`, logging its format and filters.
std::string FakeTracingBazel(const std::string& dir, const std::string& content, int status) {
  std::string fake = dir + "/fake-bazel";
  std::ofstream(fake) << "#!/bin/sh\n"
                      << "if [ \"$1\" = build ]; then exit 0; fi\n"
                      << "echo \"format=$LAPLACE_TRACE_FORMAT nodes=${LAPLACE_TRACE_NODES-}\" > '"
                      << dir << "/fake.log'\n"
                      << (content.empty() ? ""
                                          : "printf '" + content + "' > \"$LAPLACE_TRACE_OUT\"\n")
                      << "exit " << status << "\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  return fake;
}

TEST(LaplaceCli, TracePrintNamesTheOutputBesideTheUserInTheDefaultHtmlFormat) {
  Outcome run =
      RunLaplace({"trace", Testdata("ok_full.textpb"), "--print"},
                 {{"BUILD_WORKSPACE_DIRECTORY", "/ws"}, {"BUILD_WORKING_DIRECTORY", "/home/me"}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out,
              HasSubstr(" LAPLACE_TRACE_OUT=/home/me/ok_full.html LAPLACE_TRACE_FORMAT=html "
                        "bazel run --test_sharding_strategy=disabled //examples:bank_test -- "
                        "--gtest_filter=Bank.TransfersPreserveTotal\n"));
  Outcome perfetto =
      RunLaplace({"trace", Testdata("ok_full.textpb"), "--format=perfetto", "--print"},
                 {{"BUILD_WORKING_DIRECTORY", "/home/me"}});
  EXPECT_THAT(perfetto.out, HasSubstr("LAPLACE_TRACE_OUT=/home/me/ok_full.perfetto.json "
                                      "LAPLACE_TRACE_FORMAT=perfetto "));
}

TEST(LaplaceCli, TraceRunsTheTestAndSaysWhereTheTraceIs) {
  std::string dir = ScratchDir();
  std::string out = dir + "/t.html";
  Outcome run = RunLaplace(
      {"trace", Testdata("ok_full.textpb"), "--out=" + out, "--node=backup"},
      {{"BUILD_WORKSPACE_DIRECTORY", dir}, {"LAPLACE_BAZEL", FakeTracingBazel(dir, "<html>", 0)}});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("laplace: wrote the html trace to " + out));
  EXPECT_EQ(ReadAll(out), "<html>");
  EXPECT_EQ(ReadAll(dir + "/fake.log"), "format=html nodes=backup\n");
}

TEST(LaplaceCli, ATextTraceGoesToStdoutWhenNoFileIsNamed) {
  std::string dir = ScratchDir();
  Outcome run = RunLaplace({"trace", Testdata("ok_full.textpb"), "--format=text"},
                           {{"BUILD_WORKSPACE_DIRECTORY", dir},
                            {"LAPLACE_BAZEL", FakeTracingBazel(dir, "#0 t=0 spawned\\n", 1)}});
  EXPECT_EQ(run.exit_code, 0) << run.err;  // the replay failed, but the trace is what was asked
  EXPECT_EQ(run.out, "#0 t=0 spawned\n");
}

TEST(LaplaceCli, TraceSaysSoWhenTheTestWroteNothingAndExitsWithItsStatus) {
  std::string dir = ScratchDir();
  Outcome run = RunLaplace(
      {"trace", Testdata("ok_full.textpb"), "--out=" + dir + "/none.html"},
      {{"BUILD_WORKSPACE_DIRECTORY", dir}, {"LAPLACE_BAZEL", FakeTracingBazel(dir, "", 3)}});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr("the test wrote no trace (it exited with status 3)"));
}

TEST(LaplaceCli, TraceRefusesAnUnknownFormat) {
  Outcome run = RunLaplace({"trace", Testdata("ok_full.textpb"), "--format=svg"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--format=svg: expected text, perfetto or html"));
}

// A fake test binary for `corpus prune`, at <dir>/out/bazel-out/k8-fastbuild/bin/<package>/<name>
// behind a bazel-bin link, as Bazel leaves it: it lists `tests` and exits `status` on a replay.
std::string FakeTestBinary(const std::string& dir, const std::string& package,
                           const std::string& name, const std::string& tests, int status) {
  const std::string bin = dir + "/out/bazel-out/k8-fastbuild/bin";
  std::filesystem::create_directories(bin + "/" + package);
  const std::string real = bin + "/" + package + "/" + name;
  std::ofstream(real) << "#!/bin/sh\n"
                      << "if [ \"$1\" = --gtest_list_tests ]; then printf '" << tests
                      << "'; exit 0; fi\n"
                      << "exit " << status << "\n";
  std::filesystem::permissions(real, std::filesystem::perms::owner_all);
  std::error_code error;
  std::filesystem::create_directory_symlink(bin, dir + "/bazel-bin", error);
  return dir + "/bazel-bin/" + package + "/" + name;
}

// The trial's footgun: a folder holding the corpora of two test targets. Each file names its
// bazel_target, and prune judges a file only against its own target's binary.
TEST(LaplaceCli, PruneJudgesOnlyTheFilesOfTheBinarysOwnTargetAndSaysWhatItKeeps) {
  const std::string dir = ScratchDir();
  const std::string folder = dir + "/examples/replays/Bank.TransfersPreserveTotal";
  std::filesystem::create_directories(folder);
  const std::string file = folder + "/00c0ffee12345678.textpb";  // of //examples:bank_test
  std::filesystem::copy_file(Testdata("ok_full.textpb"), file);
  const std::string other = FakeTestBinary(dir, "examples", "other_test", "Other.\n  Test\n", 0);
  Outcome run = RunLaplace({"corpus", "prune", "--binary=" + other, dir + "/examples"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("pruning the files of //examples:other_test"));
  EXPECT_THAT(run.out, HasSubstr("kept " + file +
                                 ": it is a file of //examples:bank_test, not of "
                                 "//examples:other_test (prune it with that target's binary)"));
  EXPECT_THAT(run.out, HasSubstr("removed 0 file(s), kept 1\n"));
  EXPECT_TRUE(std::filesystem::exists(file));

  // Its own binary keeps it while it holds...
  const std::string bank =
      FakeTestBinary(dir, "examples", "bank_test", "Bank.\n  TransfersPreserveTotal\n", 0);
  run = RunLaplace({"corpus", "prune", "--binary=" + bank, dir + "/examples"});
  EXPECT_THAT(run.out, HasSubstr("kept " + file + ": it replays on the code " + bank +
                                 " was built from, and holds"));
  // ... and removes it, and the folder it empties, once the test is gone.
  const std::string renamed = FakeTestBinary(dir, "examples", "bank_test", "Bank.\n  Other\n", 0);
  run = RunLaplace({"corpus", "prune", "--dry_run", "--binary=" + renamed, dir + "/examples"});
  EXPECT_THAT(run.out, HasSubstr("would remove the emptied folder " + folder + "\n"));
  EXPECT_TRUE(std::filesystem::exists(file));
  run = RunLaplace({"corpus", "prune", "--binary=" + renamed, dir + "/examples"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("removed " + file +
                                 ": its test Bank.TransfersPreserveTotal is "
                                 "not in " +
                                 renamed));
  EXPECT_THAT(run.out, HasSubstr("removed the emptied folder " + folder + "\n"));
  EXPECT_FALSE(std::filesystem::exists(folder));
}

// ok_full.textpb as the rebuild of `from_digest`, named `digest`, with a longer tape.
std::string RebuildOfOkFull(const std::string& digest, const std::string& from_digest) {
  std::string text = ReadAll(Testdata("ok_full.textpb"));
  const std::string old_digest = "trace_digest: \"00c0ffee12345678\"";
  text.replace(text.find(old_digest), old_digest.size(), "trace_digest: \"" + digest + "\"");
  return text + "tape { kind: SCHEDULE bound: 2 value: 1 }\nrebuilt { from_digest: \"" +
         from_digest + "\" divergence: \"choice #1 at t=0, step 1\" }\n";
}

TEST(LaplaceCli, DedupeRemovesTheOriginalThatItsRebuildSupersedes) {
  const std::string folder = ScratchDir() + "/examples/replays/Bank.TransfersPreserveTotal";
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(Testdata("ok_full.textpb"), folder + "/00c0ffee12345678.textpb");
  std::ofstream(folder + "/aa15cdc305934160.textpb")
      << RebuildOfOkFull("aa15cdc305934160", "00c0ffee12345678");
  Outcome run = RunLaplace({"corpus", "dedupe", folder});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("removed " + folder +
                                 "/00c0ffee12345678.textpb: superseded by "
                                 "its rebuild " +
                                 folder + "/aa15cdc305934160.textpb\n"));
  EXPECT_FALSE(std::filesystem::exists(folder + "/00c0ffee12345678.textpb"));
  EXPECT_TRUE(std::filesystem::exists(folder + "/aa15cdc305934160.textpb"));
}

TEST(LaplaceCli, PruneNeedsTheTargetWhenTheBinarysPathDoesNotSayIt) {
  const std::string dir = ScratchDir();
  const std::string binary = dir + "/copied_test";
  std::ofstream(binary) << "#!/bin/sh\nexit 0\n";
  std::filesystem::permissions(binary, std::filesystem::perms::owner_all);
  Outcome run = RunLaplace({"corpus", "prune", "--binary=" + binary, dir});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("say it with --target=//package:name"));
  run = RunLaplace({"corpus", "prune", "--binary=" + binary, "--target=//pkg:copied_test", dir});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("pruning the files of //pkg:copied_test"));
}

TEST(LaplaceCli, ReplayOfAFileWithoutATargetSaysHowToRunItAndExitsOne) {
  Outcome run = RunLaplace({"replay", Testdata("ok_minimal.textpb")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("does not name its bazel_target"));
}

TEST(LaplaceCli, ReplayOfADamagedFileExitsOneWithoutRunningAnything) {
  Outcome run = RunLaplace({"replay", Testdata("bad_truncated.textpb")},
                           {{"LAPLACE_BAZEL", "/nonexistent/bazel"}});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr("bad_truncated.textpb:"));
}

}  // namespace
}  // namespace laplace::replays
