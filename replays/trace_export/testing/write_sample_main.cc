// Writes the sample run (testing/sample.h) as sample.txt, sample.perfetto.json
// and sample.html into the directory given, for the tests that read the
// exports with other programs (a JSON parser, a browser).
//
//   write_sample /tmp/out
#include <fstream>
#include <iostream>
#include <string>

#include "replays/trace_export/html.h"
#include "replays/trace_export/perfetto.h"
#include "replays/trace_export/testing/sample.h"
#include "replays/trace_export/text.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: write_sample DIRECTORY\n";
    return 2;
  }
  using namespace laplace::replays::trace_export;
  const TraceRecording recording = testing::SampleRecording();
  const std::string directory = argv[1];
  for (const auto& [name, content] : {std::pair{"sample.txt", TextTrace(recording)},
                                      std::pair{"sample.perfetto.json", PerfettoJson(recording)},
                                      std::pair{"sample.html", HtmlPage(recording)}}) {
    std::ofstream out(directory + "/" + name, std::ios::binary);
    out << content;
    if (!out) {
      std::cerr << "write_sample: cannot write " << directory << "/" << name << "\n";
      return 1;
    }
  }
  return 0;
}
