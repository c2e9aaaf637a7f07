// Runs ES5 scripts in Duktape, embedded: the ES5 engine `verify-fallback` and the tests run fallbacks in.
// Call it in a worker process (base/worker.h): Duktape has no time limit of its own.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace fleetpack {

struct DuktapeScript {
  std::string name;  ///< file name, shown in error messages
  std::string source;
};

/// Evaluates each script in order in one fresh heap, where a global `print(line)` appends `line` and a
/// newline to `output`. false on the first uncaught error, with "name: message (line N)" in `error`.
bool duktape_run(const std::vector<DuktapeScript>& scripts, std::string& output, std::string& error);

}  // namespace fleetpack
