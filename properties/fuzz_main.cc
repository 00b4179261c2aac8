// The libFuzzer side of laplace_fuzz_test (defs.bzl): coverage-guided schedule fuzzing of one
// LAPLACE_PROPERTY.
//
// libFuzzer (clang's -fsanitize=fuzzer) provides main() and calls the two functions below.
// LLVMFuzzerInitialize reads the Laplace settings (the --laplace_* flags are taken out of argv
// before libFuzzer sees them), finds the property by name in the registry (registry.h), and,
// when no corpus directory is given, adds the property's fuzz corpus folder
// (replays/corpus.h, FuzzCorpusDirectory: <package>/fuzz/<Suite>.<Test>/ in the source tree
// under `bazel run`), so that the inputs libFuzzer keeps survive the run. Each input is then
// one case: the fuzzer's bytes are the tape (pipeline.h, RunPropertyOnBytes). A failure is
// shrunk and written as an ordinary replay file into the corpus (<package>/replays/...), its
// report printed, and the process aborts so that libFuzzer stops and reports the input too.
//
//   bazel run --config=fuzz //tests:rare_bug_fuzz -- -max_total_time=60
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "properties/registry.h"
#include "properties/settings.h"
#include "replays/corpus.h"

namespace laplace::properties {

// Defined by the source laplace_fuzz_test generates: the property this binary fuzzes, and the
// test target that replays its files ("" when the macro was not told).
const char* FuzzPropertyName();
const char* FuzzReplayTarget();

namespace {

struct Fuzzing {
  RegisteredProperty registered;
  Settings settings;
};

Fuzzing* fuzzing = nullptr;  // set once by LLVMFuzzerInitialize

[[noreturn]] void Refuse(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(2);
}

// True when argv names a corpus directory or input file (an argument that is not a flag).
bool HasInputs(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') return true;
  }
  return false;
}

// Appends `directory` to argv (libFuzzer reads argv after this returns).
void AppendArgument(int* argc, char*** argv, const std::string& argument) {
  static std::vector<char*> extended;  // lives as long as libFuzzer's use of argv
  extended.assign(*argv, *argv + *argc);
  extended.push_back(strdup(argument.c_str()));
  extended.push_back(nullptr);
  *argv = extended.data();
  ++*argc;
}

}  // namespace
}  // namespace laplace::properties

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  using namespace laplace::properties;
  std::vector<std::string> flags = TakeLaplaceFlags(*argc, *argv);
  absl::StatusOr<Settings> settings = ParseSettings(ProcessEnvironment(), flags);
  if (!settings.ok()) Refuse(std::string(settings.status().message()));
  InstallProcessSettings(*settings);
  std::optional<RegisteredProperty> registered = FindProperty(FuzzPropertyName());
  if (!registered.has_value()) {
    std::string known;
    for (const std::string& name : RegisteredPropertyNames()) known += "\n  " + name;
    Refuse(std::string("laplace_fuzz_test: no LAPLACE_PROPERTY named ") + FuzzPropertyName() +
           " in this binary's srcs; its properties are:" + (known.empty() ? " none" : known));
  }
  fuzzing = new Fuzzing{*std::move(registered), *settings};
  // Replay files name the test that reruns them, not this fuzzer.
  fuzzing->settings.test_target = FuzzReplayTarget();
  if (!HasInputs(*argc, *argv)) {
    const Property& property = fuzzing->registered.property;
    const std::string corpus = laplace::replays::FuzzCorpusDirectory(
        fuzzing->settings.corpus, property.CorpusPackage(), property.name);
    std::error_code error;
    std::filesystem::create_directories(corpus, error);
    if (error) Refuse("laplace_fuzz_test: cannot make the corpus folder " + corpus);
    std::fprintf(stderr, "[laplace] %s: fuzzing with the corpus folder %s\n", property.name.c_str(),
                 corpus.c_str());
    AppendArgument(argc, argv, corpus);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace laplace::properties;
  const Property& property = fuzzing->registered.property;
  PropertyResult result = RunPropertyOnBytes(property, fuzzing->registered.options,
                                             std::span<const uint8_t>(data, size),
                                             fuzzing->settings, PipelineOutput::Stderr());
  if (result.failure.has_value() || !result.ok()) {
    // A confirmed known bug was reported as a note already; anything else is here.
    const std::string report = FormatResult(property, result);
    std::fprintf(stderr, "%s\n[laplace] %s: the fuzzer found a failure; stopping.\n",
                 report.c_str(), property.name.c_str());
    std::abort();  // libFuzzer reports the input and stops
  }
  return 0;
}
