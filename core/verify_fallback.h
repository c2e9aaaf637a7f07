// `fleetpack verify-fallback`: does a bundle's JS fallback behave like the engine's Wasm? Runs one list of
// calls three ways through the bundle's own loader: the reference module as Wasm in node, the fallback in
// `node --jitless` (a VM without WebAssembly) and the fallback in Duktape (an ES5 engine, embedded), and
// compares every result, trap, import call, memory and exported global. docs/fallback.md.
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"

namespace fleetpack {

struct VerifyFallbackOptions {
  fs::path release;               ///< <out>/<app>/<version>
  std::string profile;            ///< whose bundle to check; its target must be js or auto
  fs::path engine;                ///< the reference module (the engine as compiled, before fleetpack)
  std::optional<fs::path> calls;  ///< JSON list [{"export": name, "args": [...]}]; else generated
  size_t count = 2000;            ///< generated calls, spread over every callable export
  uint64_t seed = 1;              ///< for generated calls
  std::vector<std::string> skip;  ///< exports never called by generated calls
  std::map<std::string, std::string> import_returns;  ///< "module.name" -> value an import stub returns
  size_t memory_every = 200;          ///< compare memories and globals after every N calls (and the last)
  std::string node = "node";          ///< the node executable
  std::chrono::seconds timeout{600};  ///< per run: a run that takes longer is killed and reported
};

struct VerifyRun {
  std::string name;    ///< "node (Wasm)", "node --jitless (fallback)", "Duktape (fallback)"
  std::string loaded;  ///< the loader's kind: wasm or js
};

struct VerifyFallbackResult {
  size_t calls = 0;
  size_t traps = 0;  ///< calls that trapped in the reference run
  std::vector<VerifyRun> runs;
  std::vector<std::string> differences;  ///< the first few, readable
  size_t difference_count = 0;
};

/// Errors: unreadable release or engine, a bundle without a fallback, node missing (Usage/InvalidInput).
/// Differences are not errors: the caller decides (the CLI exits 1).
std::optional<VerifyFallbackResult> verify_fallback(const VerifyFallbackOptions& options, Diagnostics& diags);

std::string render_verify_fallback(const VerifyFallbackResult& result);

}  // namespace fleetpack
