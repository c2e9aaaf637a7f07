// The ES5 syntax check for scripts shipped to ES5-only devices (DESIGN.md "Targets"; docs/es5-check.md).
#pragma once
#include <string>

#include "base/diagnostic.h"

namespace fleetpack {

/// Checks that `text` (named `file` in diagnostics) is ES5: compiles it in Duktape 2.7 (a real ES5 engine,
/// never runs it) and then rejects the ES2015+ constructs Duktape lets through (const, object shorthand,
/// computed keys, 0o/0b literals, \u{...}, **, new.target) with a strict scanner that also names the other
/// ES2015+ constructs (let, arrows, templates, classes, spread, destructuring, default parameters, for-of,
/// generators, async, modules, ?. ?? and friends). Every problem is reported as ErrorKind::CheckFailed at
/// file:line:col (1-based, columns in code points) with a message naming the construct and a hint showing the
/// ES5 way to write it; at most 1000 are listed, then one summary error. Returns true when the text is ES5.
/// Thread-safe (each call has its own Duktape heap); never prints, never aborts the process.
bool check_es5(const std::string& file, const std::string& text, Diagnostics& diags);

}  // namespace fleetpack
