// A deterministic stand-in for a libFuzzer run, for every build: feeds LLVMFuzzerTestOneInput
// each file in replays/testdata/ and a fixed set of mutations of them (bit flips, truncations,
// insertions, deletions, splices and dictionary tokens) drawn from a seeded laplace::Prng.
//
//   bazel test //replays:replay_file_fuzzer_regression_test
//   replay_file_fuzzer_regression_test [DIRECTORY]   # default: replays/testdata
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "loop/prng.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Mutations per input file: with the 17 files of testdata/, about 6,800 runs.
constexpr int kMutationsPerFile = 400;
constexpr uint64_t kSeed = 0x1a91ace;

// Tokens that steer mutations toward the parser's interesting paths.
constexpr std::string_view kTokens[] = {"{",
                                        "}",
                                        "<",
                                        ">",
                                        ":",
                                        "\"",
                                        "\\",
                                        "\n",
                                        "#",
                                        "tape {",
                                        "kind: 9",
                                        "kind: SCHEDULE",
                                        "bound: 18446744073709551615",
                                        "value: 18446744073709551616",
                                        "format_version: 2",
                                        "format_version: 4294967296",
                                        "trace_digest: \"0123456789abcdef\"",
                                        "test_name: \"A.B\"",
                                        "strategy { name: \"pct\" }",
                                        "expect: 7",
                                        "virtual_time_ns: -9223372036854775808",
                                        "[ext.x]: 1",
                                        "\\x00",
                                        "\\377",
                                        "-",
                                        "0x",
                                        "1e999",
                                        "inf",
                                        "nan"};

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

std::string Mutate(const std::vector<std::string>& inputs, size_t index, laplace::Prng& prng) {
  std::string text = inputs[index];
  int edits = 1 + static_cast<int>(prng.Below(4));
  for (int e = 0; e < edits; ++e) {
    size_t at = text.empty() ? 0 : static_cast<size_t>(prng.Below(text.size() + 1));
    switch (prng.Below(6)) {
      case 0:  // flip one bit
        if (!text.empty()) {
          size_t byte = std::min(at, text.size() - 1);
          text[byte] = static_cast<char>(text[byte] ^ (1 << prng.Below(8)));
        }
        break;
      case 1:  // truncate
        text.resize(at);
        break;
      case 2: {  // insert random bytes
        size_t count = 1 + static_cast<size_t>(prng.Below(8));
        std::string bytes;
        for (size_t i = 0; i < count; ++i) bytes.push_back(static_cast<char>(prng.Below(256)));
        text.insert(at, bytes);
        break;
      }
      case 3:  // delete a span
        text.erase(at, static_cast<size_t>(prng.Below(64)));
        break;
      case 4: {  // splice in a span of another input
        const std::string& other = inputs[static_cast<size_t>(prng.Below(inputs.size()))];
        size_t from = other.empty() ? 0 : static_cast<size_t>(prng.Below(other.size()));
        text.insert(at, other.substr(from, static_cast<size_t>(prng.Below(128))));
        break;
      }
      default:  // insert a token
        text.insert(at, kTokens[prng.Below(std::size(kTokens))]);
        break;
    }
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  std::string directory = argc > 1 ? argv[1] : "replays/testdata";
  std::vector<std::string> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_regular_file()) paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());  // the file system's order is not deterministic
  if (paths.empty()) {
    std::fprintf(stderr, "no inputs in %s\n", directory.c_str());
    return 1;
  }
  std::vector<std::string> inputs;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  laplace::Prng prng(kSeed);
  size_t runs = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Run(inputs[i]);
    ++runs;
    for (int m = 0; m < kMutationsPerFile; ++m) {
      Run(Mutate(inputs, i, prng));
      ++runs;
    }
  }
  std::printf("replay_file_fuzzer: %zu inputs (%zu files from %s and their mutations), no crash\n",
              runs, inputs.size(), directory.c_str());
  return 0;
}
