// The wasm2js step in two halves, for the build: a fleet's wasm2js runs take seconds each and keep about
// 1.6 of 2 cores busy, so the build starts them in a background worker as soon as their module is ready
// and goes on with the other variants, collecting the fallbacks before it writes the bundles.
// `run_wasm2js` (passes/registry.h) is both halves back to back.
#pragma once
#include <memory>
#include <optional>

#include "base/js_fallback.h"
#include "passes/step.h"

namespace fleetpack {

/// A wasm2js run in progress: the interface of its module, and the worker translating it.
struct PendingWasm2js;

/// Starts wasm2js on `ctx.module` (a fallback context's module, after lower-traps). Null after reporting
/// an error. `ctx` may be destroyed before the run is finished.
std::shared_ptr<PendingWasm2js> start_wasm2js(const StepContext& ctx);

/// Waits for the run and makes the fallback; nullopt after reporting why not, naming the profiles the
/// context served. `seconds`, when given, receives how long wasm2js ran.
std::optional<JsFallback> finish_wasm2js(PendingWasm2js& pending, Diagnostics& diags,
                                         double* seconds = nullptr);

}  // namespace fleetpack
