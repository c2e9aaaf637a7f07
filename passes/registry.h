// The one table of pipeline steps (binaryen's registerPasses, ninja's kTools): name, description, factory.
#pragma once
#include <string>
#include <vector>

#include "passes/step.h"

namespace fleetpack {

/// Every step, in default pipeline order.
const std::vector<StepInfo>& all_steps();
const StepInfo* find_step(const std::string& name);
/// The default pipeline of a stage, in order.
std::vector<const StepInfo*> default_pipeline(StepStage stage);

// Step entry points, one per file in passes/.
bool run_validate(StepContext& ctx);
bool run_detect_features(StepContext& ctx);
bool run_optimize(StepContext& ctx);
/// optimize for several contexts at once, up to `jobs` Binaryen workers in parallel; results in order.
/// `ready(i, ok)`, when given, is called as each context is done, while the others' workers still run.
std::vector<bool> run_optimize_batch(const std::vector<StepContext*>& contexts, int jobs,
                                     const std::function<void(size_t, bool)>& ready = {});
bool run_lower_trunc_sat(StepContext& ctx);
bool run_lower_multivalue(StepContext& ctx);
bool run_lower_reference_types(StepContext& ctx);
bool run_lower_bulk_memory(StepContext& ctx);
bool run_lower_sign_ext(StepContext& ctx);
bool run_check_features(StepContext& ctx);
bool run_strip(StepContext& ctx);
bool run_measure(StepContext& ctx);
/// lower-traps: in fallback contexts, trap checks where wasm2js's JS would not trap (passes/lower_traps.cpp).
bool run_lower_traps(StepContext& ctx);
/// wasm2js: the JS fallback of the module as it ships (only in contexts with build_fallback).
bool run_wasm2js(StepContext& ctx);
/// The engine's imports and exports with their Wasm types, as the fallback wrapper sees them (no code).
JsFallback describe_js_interface(const WasmModule& module);
/// The post-MVP features wasm2js 108 translates correctly; a fallback's module is lowered to these.
FeatureSet wasm2js_features();
/// measure-init: runs fleetpack.yaml's init export in wabt's interpreter (in a child process with a time
/// limit) and records linear_memory_init; a no-op when no init export is configured.
bool run_measure_init(StepContext& ctx);

/// detect-features as a function, for `inspect`: every post-MVP feature the module uses, with counts and
/// the first place of use. Used = the scan saw it, or validation fails with the feature turned off.
std::vector<FeatureUse> detect_features(const WasmModule& module);

}  // namespace fleetpack
