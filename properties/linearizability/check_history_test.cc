// Proves `laplace check-history` prints exactly one line per file with the verdict and its time,
// exits 0/1/2 as documented, reads EDN and JSON lines, and names the file, line and problem of a
// bad input; the last test runs the built `laplace` binary itself.
#include "properties/linearizability/check_history.h"

#include <sys/wait.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace laplace::linearizability {
namespace {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Write(const std::string& name, const std::string& text) {
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "check_history_test";
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

Outcome RunCommand(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = CheckHistoryCommand(args, out, err, [](const std::string& file) { return file; });
  return {code, out.str(), err.str()};
}

// Replaces "(N ms)" with "(T ms)" so that outputs compare exactly. (By
// hand: std::regex trips g++ 12's false -Wmaybe-uninitialized under ASan.)
std::string WithoutTimes(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t digits = i + 1;
    while (text[i] == '(' && digits < text.size() && std::isdigit(text[digits])) ++digits;
    if (digits > i + 1 && text.compare(digits, 4, " ms)") == 0) {
      out += "(T ms)";
      i = digits + 3;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

constexpr char kGood[] = R"({:process 0, :type :invoke, :f :write, :value 1}
{:process 0, :type :ok, :f :write, :value 1}
{:process 1, :type :invoke, :f :cas, :value [1 2]}
{:process 1, :type :ok, :f :cas, :value [1 2]}
{:process :nemesis, :type :info, :f :partition, :value nil}
{:process 0, :type :invoke, :f :read, :value nil}
{:process 0, :type :ok, :f :read, :value 2}
)";

constexpr char kBad[] = R"({"process": 0, "type": "invoke", "f": "write", "value": 1}
{"process": 0, "type": "ok", "f": "write", "value": 1}
{"process": 1, "type": "invoke", "f": "read", "value": null}
{"process": 1, "type": "ok", "f": "read", "value": null}
)";

TEST(CheckHistory, PrintsOneLinePerFileAndExitsZeroWhenAllAreLinearizable) {
  std::string good = Write("good.edn", kGood);
  Outcome outcome = RunCommand({"--model=cas-register", good, good});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(WithoutTimes(outcome.out),
            good + ": linearizable (T ms)\n" + good + ": linearizable (T ms)\n");
  EXPECT_EQ(outcome.err, "");
}

TEST(CheckHistory, ExitsOneWhenAnyFileIsNotLinearizableAndReadsJsonLines) {
  std::string good = Write("good.edn", kGood);
  std::string bad = Write("bad.jsonl", kBad);
  Outcome outcome = RunCommand({"--model=register", bad, "--model=cas-register", good});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(WithoutTimes(outcome.out),
            bad + ": not linearizable (T ms)\n" + good + ": linearizable (T ms)\n");
}

TEST(CheckHistory, AnUnknownVerdictExitsOne) {
  std::string text;
  for (int p = 0; p < 10; ++p) {
    text += "{:process " + std::to_string(p) + ", :type :invoke, :f :write, :value " +
            std::to_string(p) + "}\n";
  }
  text += "{:process 10, :type :invoke, :f :read, :value nil}\n";
  text += "{:process 10, :type :ok, :f :read, :value 99}\n";
  std::string wide = Write("wide.edn", text);
  Outcome outcome = RunCommand({"--model=register", "--states-max=10", wide});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_EQ(WithoutTimes(outcome.out), wide + ": unknown (T ms)\n");
}

TEST(CheckHistory, WitnessPrintsTheSmallestFailingSubHistory) {
  std::string bad = Write("bad.jsonl", kBad);
  Outcome outcome = RunCommand({"--model=register", "--witness", bad});
  EXPECT_EQ(outcome.exit_code, 1);
  EXPECT_NE(outcome.out.find("2 of 2 operations are not linearizable:\n"
                             "  process 0  [write 1]\n"
                             "  process 1            [read -> nil !]\n"),
            std::string::npos)
      << outcome.out;
}

TEST(CheckHistory, ABadLineExitsTwoNamingTheFileTheLineAndTheProblem) {
  std::string good = Write("good.edn", kGood);
  std::string broken =
      Write("broken.edn", std::string(kGood) + "{:process 2, :type :done, :f :read}\n");
  Outcome outcome = RunCommand({"--model=cas-register", broken, good});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.err, "laplace: " + broken +
                             ": line 8, column 20: :type must be one of :invoke :ok :fail :info\n");
  EXPECT_EQ(WithoutTimes(outcome.out), good + ": linearizable (T ms)\n");
}

TEST(CheckHistory, MalformedHistoriesAndUnknownFunctionsNameTheirLine) {
  std::string unpaired = Write("unpaired.edn", "{:process 3, :type :ok, :f :read, :value 1}\n");
  std::string cas = Write("cas.edn", "{:process 0, :type :invoke, :f :cas, :value 1}\n");
  std::string syntax = Write("syntax.jsonl", "{\"process\": 0, \"type\": \"invoke\" \"f\": 1}\n");
  Outcome outcome = RunCommand({"--model=register", unpaired, cas, syntax});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.err, "laplace: " + unpaired +
                             ": line 1: process 3 oks read but has no operation pending "
                             "(no :invoke before it)\n"
                             "laplace: " +
                             cas +
                             ": line 1: the register model has no function 'cas' (it knows "
                             "read, write)\n"
                             "laplace: " +
                             syntax + ": line 1, column 33: ',' or '}' was expected\n");
  EXPECT_EQ(outcome.out, "");
}

TEST(CheckHistory, AMissingFileExitsTwo) {
  Outcome outcome = RunCommand({"--model=kv", "/nonexistent/history.edn"});
  EXPECT_EQ(outcome.exit_code, 2);
  EXPECT_EQ(outcome.err,
            "laplace: /nonexistent/history.edn: cannot read it: No such file or directory\n");
}

TEST(CheckHistory, UsageErrorsExitTwoAndSayWhatIsAccepted) {
  EXPECT_EQ(RunCommand({"x.edn"}).exit_code, 2);
  Outcome unknown = RunCommand({"--model=stack", "x.edn"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown model 'stack' (the models are register, cas-register, kv, "
                             "set, queue)"),
            std::string::npos);
  EXPECT_NE(RunCommand({"--model=kv", "--states-max=lots", "x"})
                .err.find("--states-max takes a positive integer, not 'lots'"),
            std::string::npos);
  EXPECT_NE(RunCommand({"--model=kv"}).err.find("needs at least one FILE"), std::string::npos);
}

TEST(CheckHistory, TheLaplaceBinaryRunsIt) {
  std::string good = Write("good.edn", kGood);
  std::string bad = Write("bad.jsonl", kBad);
  std::string command =
      "replays/laplace check-history --model=register " + bad + " 2>&1; echo \"exit $?\"";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  pclose(pipe);
  EXPECT_EQ(WithoutTimes(output), bad + ": not linearizable (T ms)\nexit 1\n");
}

}  // namespace
}  // namespace laplace::linearizability
