// Proves the LAPLACE_PROPERTY harness end to end: a passing property passes;
// a failing one is found, shrunk (arguments and tape together), written as a
// replay file with a reproduce command, its facts recorded for the JUnit XML;
// the file replays to the same failure and digest, in a fresh run; corpus files are replayed first;
// preconditions discard cases; a sweep finds the same bugs without RapidCheck.
#include "properties/property.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "loop/lock.h"
#include "loop/task.h"
#include "replays/replay_file.h"

namespace laplace::properties {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

Task<> Increment(Loop& loop, int& counter, int rounds, Lock* lock) {
  for (int i = 0; i < rounds; ++i) {
    LockGuard guard;
    if (lock != nullptr) guard = co_await lock->Acquire();
    int seen = counter;
    co_await loop.Yield();
    counter = seen + 1;
  }
}

// Small non-negative numbers from arbitrary ints (which shrink toward 0).
int Small(int value, int limit) { return static_cast<int>(std::abs(value % (limit + 1))); }

// A lost update, for workers >= 2; the arguments shrink to the smallest
// failing `workers` (2) and `rounds` (1).
class LostUpdate : public PropertyBase {
 public:
  using PropertyBase::PropertyBase;
  void operator()(int workers_arg, int rounds_arg) {
    int workers = Small(workers_arg, 6);
    int rounds = Small(rounds_arg, 20);
    auto counter = std::make_shared<int>(0);
    for (int w = 0; w < workers; ++w) {
      sim.loop().Spawn(Increment(sim.loop(), *counter, rounds, nullptr));
    }
    sim.Run();
    LAPLACE_ASSERT_EQ(*counter, workers * rounds);
  }
};

// The same with a Lock: always holds.
// A message that is usually lost (a delivered one draws three delays), then
// a crash: the crash alone is the bug, so the loss is surplus, and only the
// shrinker's realign pass can switch it off (RapidCheck's own shrinks
// cannot run that pass; the harness polishes its result).
class CrashAfterAMessage : public PropertyBase {
 public:
  using PropertyBase::PropertyBase;
  void operator()(int /*unused*/) {
    if (!sim.loop().Chance(99, 100, ChoiceKind::kFault)) {
      for (int i = 0; i < 3; ++i) sim.loop().Choose(1000, ChoiceKind::kDelay);
    }
    LAPLACE_ASSERT(!sim.loop().Chance(1, 5, ChoiceKind::kFault)) << "crashed";
  }
};

LAPLACE_PROPERTY(Property, LockedIncrementsNeverLoseUpdates, (int workers_arg, int rounds_arg)) {
  int workers = Small(workers_arg, 6);
  int rounds = Small(rounds_arg, 20);
  auto counter = std::make_shared<int>(0);
  auto lock = std::make_shared<Lock>(sim.loop(), "counter");
  for (int w = 0; w < workers; ++w) {
    sim.loop().Spawn(Increment(sim.loop(), *counter, rounds, lock.get()));
  }
  sim.AddInvariant("counter-bounded",
                   [counter, workers, rounds] { return *counter <= workers * rounds; });
  sim.Run();
  LAPLACE_ASSERT_EQ(*counter, workers * rounds);
}

// The bug zoo: the lost update is a known bug; this test passes because
// Laplace finds it, shrinks it and replays it to the same digest.
LAPLACE_PROPERTY_WITH_OPTIONS(Property, LostUpdatesAreFoundAsAKnownBug,
                              (PropertyOptions{.cases = 200, .expect_failure = true}),
                              (int workers_arg)) {
  int workers = 2 + Small(workers_arg, 3);
  auto counter = std::make_shared<int>(0);
  for (int w = 0; w < workers; ++w) {
    sim.loop().Spawn(Increment(sim.loop(), *counter, 3, nullptr));
  }
  sim.Run();
  LAPLACE_ASSERT_EQ(*counter, workers * 3);
}

// Settings for a harness test: `environment` as the process environment
// (with the base seed pinned unless it says otherwise), then `flags`.
Settings TestSettings(Environment environment = {}, std::vector<std::string> flags = {}) {
  environment.emplace("LAPLACE_BASE_SEED", "0");
  environment.emplace("TEST_SRCDIR", "/nonexistent");
  absl::StatusOr<Settings> settings = ParseSettings(environment, flags);
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

// Runs a property through the pipeline and the GoogleTest layer, and returns
// the failure messages it reported.
template <typename P>
std::vector<std::string> Failures(const std::string& test_name, const std::string& parameters,
                                  const PropertyOptions& options,
                                  const Settings& settings = TestSettings()) {
  Property property{test_name, __FILE__, __LINE__, std::make_shared<TypedCases<P>>(parameters)};
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    ReportToGoogleTest(property,
                       RunProperty(property, options, settings, PipelineOutput::Silent()));
  }
  std::vector<std::string> messages;
  for (int i = 0; i < results.size(); ++i) {
    if (results.GetTestPartResult(i).failed()) {
      messages.push_back(results.GetTestPartResult(i).message());
    }
  }
  return messages;
}

// The names of the properties the running test recorded for its JUnit XML.
std::vector<std::string> RecordedProperties() {
  const ::testing::TestResult* result =
      ::testing::UnitTest::GetInstance()->current_test_info()->result();
  std::vector<std::string> names;
  for (int i = 0; i < result->test_property_count(); ++i) {
    names.push_back(result->GetTestProperty(i).key());
  }
  return names;
}

std::vector<std::string> FilesUnder(const fs::path& root) {
  std::vector<std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  return files;
}

// Never fails.
class AlwaysHolds : public PropertyBase {
 public:
  using PropertyBase::PropertyBase;
  void operator()(int) {
    sim.loop().Spawn(Increment(sim.loop(), counter_, 1, nullptr));
    sim.Run();
  }

 private:
  int counter_ = 0;
};

class HarnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    root_ = fs::path(tmp != nullptr ? tmp : "/tmp") /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  fs::path root_;
};

TEST_F(HarnessTest, FindsShrinksAndWritesAReplayThatReproducesTheFailure) {
  std::vector<std::string> failures =
      Failures<LostUpdate>("Harness.LostUpdate", "(int workers, int rounds)", {.cases = 100},
                           TestSettings({{"LAPLACE_CORPUS_ROOT", root_.string()}}));
  ASSERT_EQ(failures.size(), 1u);
  const std::string& report = failures[0];
  EXPECT_THAT(report, HasSubstr("Laplace found a failure in Harness.LostUpdate"));
  EXPECT_THAT(report, HasSubstr("signature: assertion:properties/property_test.cc:"));
  // RapidCheck shrank the arguments to the smallest failing case.
  EXPECT_THAT(report, HasSubstr("int workers = 2"));
  EXPECT_THAT(report, HasSubstr("int rounds = 1"));
  EXPECT_THAT(report, HasSubstr("reproduce: bazel run //replays:laplace -- replay "));
  // The JUnit XML of the test holds the failure's facts.
  EXPECT_THAT(RecordedProperties(),
              ::testing::IsSupersetOf(
                  {"laplace_seed", "laplace_signature", "laplace_strategy", "laplace_replay"}));

  std::vector<std::string> files = FilesUnder(root_);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_THAT(files[0], HasSubstr("properties/replays/Harness.LostUpdate/"));
  absl::StatusOr<replays::Replay> file = replays::ReadReplayFile(files[0], "Harness.LostUpdate");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->expect(), replays::EXPECT_PASS);
  EXPECT_LE(NonZeroScheduleChoices(replays::TapeFromReplay(*file)), 2u);
  EXPECT_EQ(file->arguments().rendering_size(), 2);

  // Replaying it (the bug is still there) fails the same way.
  {
    std::vector<std::string> replayed =
        Failures<LostUpdate>("Harness.LostUpdate", "(int workers, int rounds)", {},
                             TestSettings({{"LAPLACE_REPLAY", files[0]}}));
    ASSERT_EQ(replayed.size(), 1u);
    EXPECT_THAT(replayed[0], HasSubstr("fails: assertion"));
    EXPECT_THAT(replayed[0], HasSubstr("(the bug this file was recorded for)"));
  }
  // Marked as a known bug, it replays as a reproduction: same signature and
  // digest, so the test passes.
  file->set_expect(replays::EXPECT_FAILURE);
  ASSERT_TRUE(replays::WriteReplayFileAtomically(files[0], *file).ok());
  EXPECT_THAT(Failures<LostUpdate>("Harness.LostUpdate", "(int workers, int rounds)", {},
                                   TestSettings({{"LAPLACE_REPLAY", files[0]}})),
              ::testing::IsEmpty());
}

TEST_F(HarnessTest, ARapidCheckFailureIsPolishedByTheRealignPass) {
  std::vector<std::string> failures =
      Failures<CrashAfterAMessage>("Harness.CrashAfterAMessage", "(int unused)", {.cases = 100},
                                   TestSettings({{"LAPLACE_CORPUS_ROOT", root_.string()}}));
  ASSERT_EQ(failures.size(), 1u);
  std::vector<std::string> files = FilesUnder(root_);
  ASSERT_EQ(files.size(), 1u);
  absl::StatusOr<replays::Replay> file =
      replays::ReadReplayFile(files[0], "Harness.CrashAfterAMessage");
  ASSERT_TRUE(file.ok()) << file.status();
  // Only the crash is left: not the loss.
  Tape tape = replays::TapeFromReplay(*file);
  int nonzero = 0;
  for (const Choice& choice : tape) nonzero += choice.value != 0 ? 1 : 0;
  EXPECT_EQ(nonzero, 1) << failures[0];
  ASSERT_FALSE(tape.empty());
  EXPECT_EQ(tape.back().bound, 5u) << failures[0];
  // The cases counted are the ones run before the failure (at least that one), not minus the
  // polish's candidates (which once printed 0, or an unsigned wrap-around).
  EXPECT_THAT(failures[0], ::testing::ContainsRegex("after [1-9][0-9]{0,3} case\\(s\\)"));
}

TEST_F(HarnessTest, ReplaysTheCorpusBeforeAnythingElse) {
  ASSERT_EQ(Failures<LostUpdate>("Harness.Corpus", "(int workers, int rounds)", {},
                                 TestSettings({{"LAPLACE_CORPUS_ROOT", root_.string()}}))
                .size(),
            1u);
  std::vector<std::string> files = FilesUnder(root_);
  ASSERT_EQ(files.size(), 1u);
  // Read the corpus from where it was written, before any new case.
  std::vector<std::string> failures = Failures<LostUpdate>(
      "Harness.Corpus", "(int workers, int rounds)", {.cases = 1, .write_replays = false},
      TestSettings({{"BUILD_WORKSPACE_DIRECTORY", root_.string()}}));
  ASSERT_GE(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("Laplace replay " + files[0] + " fails: assertion"));
}

TEST_F(HarnessTest, ADamagedCorpusFileIsAClearFailureNotACrash) {
  fs::path dir = root_ / "properties/replays/Harness.Damaged";
  fs::create_directories(dir);
  {
    std::FILE* file = std::fopen((dir / "0000000000000000.textpb").c_str(), "w");
    std::fputs("format_version: 2\ntest_name: \"Harness.Damaged\"\ntape { kind: SCHED", file);
    std::fclose(file);
  }
  std::vector<std::string> failures =
      Failures<AlwaysHolds>("Harness.Damaged", "(int x)", {.cases = 1, .write_replays = false},
                            TestSettings({{"BUILD_WORKSPACE_DIRECTORY", root_.string()}}));
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("cannot be read"));
  EXPECT_THAT(failures[0], HasSubstr("0000000000000000.textpb"));
}

TEST_F(HarnessTest, ASeedSweepFindsTheBugWithoutRapidCheck) {
  std::vector<std::string> failures =
      Failures<LostUpdate>("Harness.Sweep", "(int workers, int rounds)", {.sweep_seeds = 500},
                           TestSettings({{"LAPLACE_CORPUS_ROOT", root_.string()}}));
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("found:     seed "));
  EXPECT_EQ(FilesUnder(root_).size(), 1u);
}

// The reports with the shrink's wall times (which vary run to run) blanked:
// every number followed by "ms" or "s" becomes "<time>".
std::vector<std::string> WithoutWallTimes(std::vector<std::string> reports) {
  for (std::string& report : reports) {
    std::string out;
    for (size_t i = 0; i < report.size();) {
      size_t end = i;
      while (end < report.size() && (std::isdigit(static_cast<unsigned char>(report[end])) ||
                                     (end > i && report[end] == '.'))) {
        ++end;
      }
      const bool digits = end > i;
      if (digits && report.compare(end, 2, "ms") == 0) {
        out += "<time>";
        i = end + 2;
      } else if (digits && end < report.size() && report[end] == 's') {
        out += "<time>";
        i = end + 1;
      } else {
        out.append(report, i, std::max(end, i + 1) - i);
        i = std::max(end, i + 1);
      }
    }
    report = std::move(out);
  }
  return reports;
}

TEST_F(HarnessTest, LaplaceSeedRerunsOneCaseTheSameWayEveryTime) {
  int failing_seeds = 0;
  for (int seed = 0; seed < 40; ++seed) {
    Settings settings = TestSettings({{"LAPLACE_SEED", std::to_string(seed)}});
    std::vector<std::string> first = Failures<LostUpdate>(
        "Harness.Seed", "(int workers, int rounds)", {.write_replays = false}, settings);
    std::vector<std::string> second = Failures<LostUpdate>(
        "Harness.Seed", "(int workers, int rounds)", {.write_replays = false}, settings);
    EXPECT_EQ(WithoutWallTimes(first), WithoutWallTimes(second))
        << "one seed is one run, every time";
    if (!first.empty()) {
      ++failing_seeds;
      EXPECT_THAT(first[0], HasSubstr("found:     seed " + std::to_string(seed) + " after 1"));
    }
  }
  EXPECT_GT(failing_seeds, 0);
}

// Rejects most cases; RapidCheck discards them and still finds enough.
class Picky : public PropertyBase {
 public:
  using PropertyBase::PropertyBase;
  void operator()(int value) {
    RC_PRE(value % 2 == 0);
    LAPLACE_ASSERT(value % 2 == 0);
  }
};

TEST_F(HarnessTest, PreconditionsDiscardCases) {
  EXPECT_THAT(Failures<Picky>("Harness.Picky", "(int value)", {.cases = 50}), ::testing::IsEmpty());
}

TEST_F(HarnessTest, AKnownBugThatIsNotFoundFailsTheTest) {
  std::vector<std::string> failures =
      Failures<AlwaysHolds>("Harness.NoBug", "(int x)", {.cases = 20, .expect_failure = true});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("is expected to fail (a known bug), but no failure was "
                                     "found in 20 RapidCheck case(s) from base seed 0"));
}

// Forgets to run its tasks.
class ForgetsToRun : public PropertyBase {
 public:
  using PropertyBase::PropertyBase;
  void operator()() { sim.loop().Spawn(Increment(sim.loop(), counter_, 1, nullptr)); }

 private:
  int counter_ = 0;
};

TEST_F(HarnessTest, ABodyThatDoesNotRunItsTasksGetsAClearFailure) {
  std::vector<std::string> failures =
      Failures<ForgetsToRun>("Harness.Forgets", "()", {.cases = 1, .write_replays = false});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("end it with sim.Run()"));
}

// Rejects every case.
class RejectsAll : public PropertyBase {
 public:
  using PropertyBase::PropertyBase;
  void operator()() { RC_PRE(false); }
};

TEST_F(HarnessTest, ASweepWhoseEveryCaseIsDiscardedTestsNothingAndFails) {
  std::vector<std::string> failures =
      Failures<RejectsAll>("Harness.RejectsAll", "()", {.sweep_seeds = 20});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], HasSubstr("every one of 20 case(s) was rejected by a precondition"));
}

TEST_F(HarnessTest, ARapidCheckFailureSaysWhichSeedAndSizeRerunIt) {
  std::vector<std::string> failures = Failures<LostUpdate>(
      "Harness.Rerun", "(int workers, int rounds)", {.cases = 100, .write_replays = false});
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_THAT(failures[0], ::testing::ContainsRegex("LAPLACE_SEED=[0-9]+:[0-9]+ reruns it"));
  EXPECT_THAT(failures[0], ::testing::ContainsRegex("reproduce: bazel run .* -- "
                                                    "--laplace_seed=[0-9]+:[0-9]+ "
                                                    "--laplace_strategy=[a-z:=,0-9-]+ "
                                                    "--gtest_filter=Harness.Rerun"));
}

TEST_F(HarnessTest, ACandidateBudgetBoundsRapidChecksShrinkingAndThePolishAfterIt) {
  const PropertyOptions options{.cases = 100,
                                .shrink_budget = std::chrono::minutes(10),
                                .shrink_candidates_max = 4,
                                .write_replays = false};
  std::vector<std::string> failures =
      Failures<LostUpdate>("Harness.Budgeted", "(int workers, int rounds)", options);
  ASSERT_EQ(failures.size(), 1u);
  // At most 4 candidates, plus RapidCheck's own rerun of the smallest case it ended on.
  EXPECT_THAT(failures[0], ::testing::ContainsRegex("after [1-5] candidates"));
  EXPECT_THAT(failures[0], HasSubstr("(shrink budget exhausted)"));
  // The same again: the same shrunk case, whatever the time it took.
  std::vector<std::string> again =
      Failures<LostUpdate>("Harness.Budgeted", "(int workers, int rounds)", options);
  ASSERT_EQ(again.size(), 1u);
  auto shrunk_line = [](const std::string& report) {
    const size_t at = report.find("shrunk:");
    return report.substr(at, report.find(" in ", at) - at);
  };
  EXPECT_EQ(shrunk_line(again[0]), shrunk_line(failures[0]));
}

TEST(SplitParameters, KeepsTemplateArgumentsTogether) {
  EXPECT_THAT(
      SplitParameters("(int a, std::map<int, std::pair<int, int>> b, const T& c)"),
      ::testing::ElementsAre("int a", "std::map<int, std::pair<int, int>> b", "const T& c"));
  EXPECT_THAT(SplitParameters("()"), ::testing::IsEmpty());
}

TEST(ArgsOrigin, RoundTripsThroughRapidChecksEncoding) {
  internal::ArgsOrigin origin{rc::Random(42), 17, {3, 0, 5}};
  absl::StatusOr<internal::ArgsOrigin> decoded =
      internal::DecodeArgsOrigin(internal::EncodeArgsOrigin(origin));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->size, 17);
  EXPECT_EQ(decoded->path, (std::vector<size_t>{3, 0, 5}));
  EXPECT_TRUE(decoded->random == origin.random);
  EXPECT_FALSE(internal::DecodeArgsOrigin("not base64!").ok());
  EXPECT_FALSE(internal::DecodeArgsOrigin("AAAA").ok());
}

}  // namespace
}  // namespace laplace::properties
