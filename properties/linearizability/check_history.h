// `laplace check-history`: checks history files written elsewhere (Jepsen's
// EDN, or JSON lines; see history_file.h) for linearizability.
//
//   laplace check-history --model=cas-register histories/*.edn
//   histories/etcd-000.edn: linearizable (3 ms)
//   histories/etcd-001.edn: not linearizable (5 ms)
//
// Exactly one line per file on standard output, "<FILE>: linearizable|not
// linearizable|unknown (<milliseconds> ms)", the time being the file's
// reading and checking. A file that cannot be read or parsed gets a line on
// standard error instead, naming the file, the line and what is wrong.
// Exit status: 0 if every file is linearizable, 1 if any is not or is
// unknown, 2 if any cannot be read (or on a usage error).
#ifndef LAPLACE_PROPERTIES_LINEARIZABILITY_CHECK_HISTORY_H_
#define LAPLACE_PROPERTIES_LINEARIZABILITY_CHECK_HISTORY_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace laplace::linearizability {

// The usage text, for the `laplace` binary's help.
extern const char kCheckHistoryUsage[];

// Runs the command on its arguments (those after "check-history"), writing
// to `out` and `err`; returns the exit status. `resolve` maps a FILE as
// given to the path to open (the output names it as given).
int CheckHistoryCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                        const std::function<std::string(const std::string&)>& resolve);

}  // namespace laplace::linearizability

#endif  // LAPLACE_PROPERTIES_LINEARIZABILITY_CHECK_HISTORY_H_
