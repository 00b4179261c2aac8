// Proves the settings module's one policy: every flag and variable parses to
// what it says, flags win over variables, and every malformed or out-of-range
// value (or unknown flag) is refused with the name, the value and what is
// accepted; and the base seed is fresh, pinned or RapidCheck's, mixed with
// TEST_RANDOM_SEED.
#include "properties/settings.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace laplace::properties {
namespace {

using ::testing::HasSubstr;

Settings Parse(const Environment& environment, const std::vector<std::string>& flags = {}) {
  absl::StatusOr<Settings> settings = ParseSettings(environment, flags);
  EXPECT_TRUE(settings.ok()) << settings.status();
  return settings.ok() ? *settings : Settings{};
}

std::string Refusal(const Environment& environment, const std::vector<std::string>& flags = {}) {
  absl::StatusOr<Settings> settings = ParseSettings(environment, flags);
  EXPECT_FALSE(settings.ok()) << "accepted";
  return settings.ok() ? "" : std::string(settings.status().message());
}

TEST(Settings, EverySeedOfSixtyFourBitsParsesIncludingThoseOfTwentyDigits) {
  Settings settings = Parse({{"LAPLACE_SEED", "16195778446538504823:9"}});
  ASSERT_TRUE(settings.seed.has_value());
  EXPECT_EQ(settings.seed->seed, 16195778446538504823ull);
  EXPECT_EQ(settings.seed->size, 9);
  EXPECT_EQ(Parse({{"LAPLACE_SEED", "18446744073709551615"}}).seed->seed, UINT64_MAX);
  EXPECT_FALSE(Parse({{"LAPLACE_SEED", "7"}}).seed->size.has_value());
  EXPECT_THAT(Refusal({{"LAPLACE_SEED", "18446744073709551616"}}),
              HasSubstr("LAPLACE_SEED=\"18446744073709551616\": expected SEED or SEED:SIZE"));
  EXPECT_THAT(Refusal({{"LAPLACE_SEED", "7:abc"}}), HasSubstr("LAPLACE_SEED=\"7:abc\""));
  EXPECT_THAT(Refusal({{"LAPLACE_SEED", "-1"}}), HasSubstr("LAPLACE_SEED=\"-1\""));
}

TEST(Settings, MalformedAndOutOfRangeValuesAreRefusedWithWhatIsAccepted) {
  EXPECT_THAT(Refusal({{"LAPLACE_CASES", "abc"}}),
              HasSubstr("LAPLACE_CASES=\"abc\": expected a whole number from 1 to 10000000"));
  EXPECT_THAT(Refusal({{"LAPLACE_CASES", "99999999999"}}), HasSubstr("LAPLACE_CASES="));
  EXPECT_THAT(Refusal({{"LAPLACE_CASES", "0"}}), HasSubstr("from 1 to"));
  EXPECT_THAT(Refusal({{"LAPLACE_TRACE", "maybe"}}),
              HasSubstr("LAPLACE_TRACE=\"maybe\": expected 1 or 0"));
  EXPECT_THAT(Refusal({{"LAPLACE_RECORD", "2"}}), HasSubstr("LAPLACE_RECORD=\"2\""));
  EXPECT_THAT(Refusal({{"LAPLACE_WRITE_REPLAYS", "abc"}}),
              HasSubstr("LAPLACE_WRITE_REPLAYS=\"abc\""));
  EXPECT_THAT(Refusal({{"LAPLACE_SWEEP_SECONDS", "2 weeks"}}), HasSubstr("expected a duration"));
  EXPECT_THAT(Refusal({{"LAPLACE_BASE_SEED", "soon"}}), HasSubstr("or fresh"));
  // Every problem is listed, not just the first.
  std::string both = Refusal({{"LAPLACE_CASES", "x"}, {"LAPLACE_SWEEP", "y"}});
  EXPECT_THAT(both, HasSubstr("LAPLACE_CASES"));
  EXPECT_THAT(both, HasSubstr("LAPLACE_SWEEP"));
}

TEST(Settings, TheStrategyIsANameWithParametersAndABadOneSaysWhatIsAccepted) {
  EXPECT_FALSE(Parse({}).strategy.has_value());
  Settings pct = Parse({{"LAPLACE_STRATEGY", "pct"}}, {"--laplace_strategy=pct:depth=2,steps=40"});
  ASSERT_TRUE(pct.strategy.has_value());
  EXPECT_EQ(pct.strategy->ToString(), "pct:depth=2,steps=40");
  EXPECT_EQ(Parse({{"LAPLACE_STRATEGY", "bounded:preemptions=1"}}).strategy->ToString(),
            "bounded:preemptions=1");
  EXPECT_THAT(Refusal({{"LAPLACE_STRATEGY", "pct:depth=11"}}),
              HasSubstr("LAPLACE_STRATEGY=\"pct:depth=11\": depth must be from 1 to 10, not 11; "
                        "expected random-walk, pct"));
  EXPECT_THAT(Refusal({}, {"--laplace_strategy=dfs"}),
              HasSubstr("--laplace_strategy=\"dfs\": no strategy is called 'dfs'"));
  EXPECT_THAT(Refusal({{"LAPLACE_SEED", "3"}, {"LAPLACE_STRATEGY", "bounded"}}),
              HasSubstr("--laplace_seed and --laplace_strategy=bounded both given"));
}

TEST(Settings, UnknownAndMisspelledFlagsAreRefusedWithASuggestion) {
  EXPECT_THAT(Refusal({}, {"--laplace-seed=3"}), HasSubstr("did you mean --laplace_seed?"));
  EXPECT_THAT(Refusal({}, {"--laplaceseed=3"}), HasSubstr("did you mean --laplace_seed?"));
  EXPECT_THAT(Refusal({}, {"--laplace_bogus"}), HasSubstr("--laplace_bogus: unknown flag"));
  EXPECT_THAT(Refusal({}, {"--laplace_cases"}), HasSubstr("needs a value"));
  EXPECT_THAT(Refusal({}, {"--laplace_sed=3"}), HasSubstr("did you mean --laplace_seed?"));
}

TEST(Settings, AnUnknownLaplaceVariableIsRefusedNotIgnored) {
  EXPECT_THAT(Refusal({{"LAPLACE_SEDD", "3"}}),
              HasSubstr("LAPLACE_SEDD=\"3\": no Laplace setting"));
  EXPECT_THAT(Refusal({{"LAPLACE_SEDD", "3"}}), HasSubstr("did you mean LAPLACE_SEED?"));
  EXPECT_THAT(Refusal({{"LAPLACE_FROBNICATE", "1"}}), HasSubstr("see --help for the variables"));
  // The command line tool's own variable is not a test setting, and not refused.
  EXPECT_EQ(Parse({{"LAPLACE_BAZEL", "bazelisk"}, {"LAPLACE_CASES", "4"}}).cases, 4);
}

TEST(Settings, FlagsWinOverVariablesAndSwitchesNeedNoValue) {
  Settings settings = Parse({{"LAPLACE_CASES", "5"}, {"LAPLACE_TRACE", "0"}},
                            {"--laplace_cases=7", "--laplace_trace"});
  EXPECT_EQ(settings.cases, 7);
  EXPECT_TRUE(settings.trace);
  EXPECT_FALSE(Parse({}, {"--laplace_trace=false"}).trace);
  EXPECT_EQ(Parse({{"LAPLACE_WRITE_REPLAYS", "0"}}).write_replays, false);
}

TEST(Settings, OnDivergenceIsFailOrWarnAndUnsetLeavesTheTestsChoice) {
  EXPECT_FALSE(Parse({}).on_divergence.has_value());
  EXPECT_EQ(Parse({{"LAPLACE_ON_DIVERGENCE", "warn"}}).on_divergence, OnDivergence::kWarn);
  EXPECT_EQ(
      Parse({{"LAPLACE_ON_DIVERGENCE", "warn"}}, {"--laplace_on_divergence=fail"}).on_divergence,
      OnDivergence::kFail);
  EXPECT_THAT(Refusal({{"LAPLACE_ON_DIVERGENCE", "ignore"}}),
              HasSubstr("LAPLACE_ON_DIVERGENCE=\"ignore\": expected fail or warn"));
}

TEST(Settings, DurationsTakeUnits) {
  EXPECT_EQ(Parse({{"LAPLACE_SHRINK_SECONDS", "30"}}).shrink_budget, std::chrono::seconds(30));
  EXPECT_EQ(Parse({{"LAPLACE_SHRINK_SECONDS", "1500ms"}}).shrink_budget,
            std::chrono::milliseconds(1500));
  EXPECT_EQ(Parse({{"LAPLACE_SWEEP_SECONDS", "2m"}}).sweep_budget, std::chrono::minutes(2));
  EXPECT_THAT(Refusal({{"LAPLACE_SWEEP_SECONDS", "9999h"}}), HasSubstr("at most a year"));
}

TEST(Settings, AShardIndexOutsideTheShardCountIsRefused) {
  Settings settings = Parse({{"TEST_TOTAL_SHARDS", "4"}, {"TEST_SHARD_INDEX", "3"}});
  EXPECT_EQ(settings.shard.count, 4u);
  EXPECT_EQ(settings.shard.index, 3u);
  EXPECT_EQ(Parse({{"GTEST_TOTAL_SHARDS", "2"}, {"GTEST_SHARD_INDEX", "1"}}).shard.index, 1u);
  EXPECT_THAT(Refusal({{"TEST_TOTAL_SHARDS", "2"}, {"TEST_SHARD_INDEX", "2"}}),
              HasSubstr("TEST_SHARD_INDEX=\"2\""));
  EXPECT_THAT(Refusal({{"TEST_TOTAL_SHARDS", "0"}, {"TEST_SHARD_INDEX", "0"}}),
              HasSubstr("TEST_TOTAL_SHARDS=\"0\""));
  EXPECT_THAT(Refusal({{"TEST_TOTAL_SHARDS", "2"}}), HasSubstr("TEST_SHARD_INDEX=\"\""));
}

TEST(Settings, TheBaseSeedIsFreshUnlessPinnedOrGivenByRapidCheck) {
  Settings a = Parse({});
  Settings b = Parse({});
  EXPECT_EQ(a.base_seed_origin, BaseSeedOrigin::kFresh);
  EXPECT_NE(a.base_seed, b.base_seed) << "two fresh base seeds were equal";
  Settings pinned = Parse({{"LAPLACE_BASE_SEED", "42"}, {"RC_PARAMS", "seed=7"}});
  EXPECT_EQ(pinned.base_seed_origin, BaseSeedOrigin::kPinned);
  EXPECT_EQ(pinned.base_seed, 42u);
  Settings rapidcheck = Parse({{"RC_PARAMS", "seed=7 max_success=3"}});
  EXPECT_EQ(rapidcheck.base_seed_origin, BaseSeedOrigin::kRapidCheck);
  EXPECT_EQ(rapidcheck.base_seed, 7u);
  EXPECT_EQ(Parse({{"RC_PARAMS", "max_success=3"}}).base_seed_origin, BaseSeedOrigin::kFresh);
  EXPECT_THAT(Refusal({{"RC_PARAMS", "seed=abc"}}), HasSubstr("RC_PARAMS="));
}

TEST(Settings, RunsPerTestExploreDifferentReproducibleRanges) {
  Settings one = Parse({{"LAPLACE_BASE_SEED", "0"}, {"TEST_RANDOM_SEED", "1"}});
  Settings two = Parse({{"LAPLACE_BASE_SEED", "0"}, {"TEST_RANDOM_SEED", "2"}});
  Settings again = Parse({{"LAPLACE_BASE_SEED", "0"}, {"TEST_RANDOM_SEED", "2"}});
  EXPECT_NE(EffectiveBaseSeed(one, false), EffectiveBaseSeed(two, false));
  EXPECT_EQ(EffectiveBaseSeed(two, false), EffectiveBaseSeed(again, false));
  EXPECT_EQ(EffectiveBaseSeed(Parse({{"LAPLACE_BASE_SEED", "5"}}), false), 5u);
  // A bug-zoo property does not depend on luck: base 0 unless pinned.
  EXPECT_EQ(EffectiveBaseSeed(Parse({}), true), 0u);
  EXPECT_EQ(EffectiveBaseSeed(Parse({{"LAPLACE_BASE_SEED", "5"}}), true), 5u);
}

TEST(Settings, AReplayFileIsResolvedOnceAndMustExist) {
  std::string dir = ::testing::TempDir();
  EXPECT_THAT(Refusal({{"LAPLACE_REPLAY", "no/such.textpb"}}), HasSubstr("no such file"));
  EXPECT_THAT(Refusal({{"LAPLACE_REPLAY", dir}, {"LAPLACE_SEED", "1"}}), HasSubstr("choose one"));
}

TEST(Settings, TraceExportsTakeAFileAFormatAndFilters) {
  Settings settings =
      Parse({{"LAPLACE_TRACE_NODES", "backup,primary"}},
            {"--laplace_seed=3", "--laplace_trace_out=/out/t.json", "--laplace_trace_tasks=audit"});
  EXPECT_EQ(settings.trace_out, "/out/t.json");
  EXPECT_EQ(TraceOutFormat(settings), replays::trace_export::TraceFormat::kPerfetto);
  EXPECT_EQ(settings.trace_filter.nodes, (std::vector<std::string>{"backup", "primary"}));
  EXPECT_EQ(settings.trace_filter.tasks, std::vector<std::string>{"audit"});
  EXPECT_EQ(TraceOutFormat(Parse({}, {"--laplace_seed=1", "--laplace_trace_out=/t.html"})),
            replays::trace_export::TraceFormat::kHtml);
  EXPECT_EQ(TraceOutFormat(Parse({}, {"--laplace_seed=1", "--laplace_trace_out=/t.log"})),
            replays::trace_export::TraceFormat::kText);
  EXPECT_EQ(TraceOutFormat(Parse({}, {"--laplace_seed=1", "--laplace_trace_out=/t.html",
                                      "--laplace_trace_format=text"})),
            replays::trace_export::TraceFormat::kText);
  // Relative to where `bazel run` started.
  EXPECT_EQ(Parse({{"BUILD_WORKING_DIRECTORY", "/home/me"}},
                  {"--laplace_seed=1", "--laplace_trace_out=t.html"})
                .trace_out,
            "/home/me/t.html");
}

TEST(Settings, ABadTraceExportIsRefusedSayingWhatIsAccepted) {
  EXPECT_THAT(Refusal({{"LAPLACE_TRACE_FORMAT", "svg"}}),
              HasSubstr("LAPLACE_TRACE_FORMAT=\"svg\": expected text, perfetto or html"));
  EXPECT_THAT(Refusal({{"LAPLACE_TRACE_NODES", "a,,b"}}),
              HasSubstr("LAPLACE_TRACE_NODES=\"a,,b\": expected names separated by commas"));
  EXPECT_THAT(Refusal({{"LAPLACE_TRACE_OUT", "/t.html"}}),
              HasSubstr("needs --laplace_replay or --laplace_seed"));
}

TEST(Settings, TheHelpListsEveryFlagWithItsVariable) {
  std::string help = SettingsHelp();
  for (const char* name :
       {"--laplace_seed=S[:Z]", "LAPLACE_SEED", "--laplace_replay=FILE", "--laplace_trace",
        "--laplace_cases=N", "--laplace_sweep=N", "--laplace_sweep_seconds=T",
        "--laplace_shrink_seconds=T", "--laplace_write_replays=0|1", "--laplace_record",
        "--laplace_corpus_root=DIR", "--laplace_base_seed=S|fresh", "--laplace_trace_out=FILE",
        "--laplace_trace_format=text|perfetto|html", "--laplace_trace_nodes=A,B",
        "--laplace_trace_tasks=A,B", "LAPLACE_TRACE_OUT", "--laplace_on_divergence=fail|warn",
        "LAPLACE_ON_DIVERGENCE"}) {
    EXPECT_THAT(help, HasSubstr(name));
  }
}

TEST(Settings, TakeLaplaceFlagsRemovesThemFromArgv) {
  std::string a0 = "test", a1 = "--gtest_filter=X", a2 = "--laplace_seed=3", a3 = "--laplace-x";
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  int argc = 4;
  EXPECT_THAT(TakeLaplaceFlags(argc, argv),
              ::testing::ElementsAre("--laplace_seed=3", "--laplace-x"));
  ASSERT_EQ(argc, 2);
  EXPECT_STREQ(argv[1], "--gtest_filter=X");
}

}  // namespace
}  // namespace laplace::properties
