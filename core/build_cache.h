// The build's use of the content store (base/content_store.h): which results it keeps and under which
// keys (docs/cache.md).
//   optimize  one Binaryen run: key = sha256 of the module given to Binaryen, the optimize level, the
//             features Binaryen gets, Binaryen's build-id (+ fleetpack's version and build-id, which every
//             key has). Output: the optimized module.
//   variant   one variant's engine as shipped: key = the variant's settings (DESIGN.md "Plan": engine
//             sha256, the output-affecting profile settings, lowered features) without the app files,
//             plus fleetpack.yaml's `init:` (measure-init), Binaryen's build-id and libzstd's version.
//             Outputs: the shipped module, its symbol map, and result.json (figures and lowering costs).
//   input     validate + detect-features of the engine: key = its SHA-256. Output: the features it uses.
// A variant found in the store skips both stages: no lowering, no Binaryen, no measuring; when every
// variant is found, the input is not even validated again.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/content_store.h"
#include "core/plan.h"
#include "passes/step.h"

namespace fleetpack {

/// validate + detect-features of the input (ctx.input_bytes) through the store: an input with the same
/// SHA-256 that this fleetpack build validated before is not validated again, its features come from the
/// store, and ctx.module/ctx.input stay empty until ensure_validated (a stage that misses needs them).
/// False after errors (a failed validation is never stored).
bool validate_and_detect_cached(ContentStore& store, StepContext& ctx);
/// Validates ctx.input_bytes into ctx.module and ctx.input when validate_and_detect_cached skipped it.
bool ensure_validated(StepContext& ctx);

/// run_optimize_batch (passes/registry.h) through the store: contexts whose result is stored get it
/// without a Binaryen worker; the others are optimized and their results stored.
std::vector<bool> run_optimize_batch_cached(ContentStore& store, const std::vector<StepContext*>& contexts,
                                            int jobs);

/// What the per-variant stage produced, as the build keeps it.
struct StoredVariant {
  ModuleFigures figures;
  std::vector<std::pair<Feature, int64_t>> lowering_costs;
  WasmModule engine;  ///< as shipped
  std::string symbol_map;
};

std::string variant_action_key(const Variant& variant, const std::optional<InitSettings>& init);
/// The stored result of a variant, or nullopt (a miss, or an entry that does not load).
std::optional<StoredVariant> load_variant(ContentStore& store, const std::string& key,
                                          const std::string& input_file, Diagnostics& diags);
/// Stores the per-variant result in `ctx` (after a successful PerVariant pipeline).
void store_variant(ContentStore& store, const std::string& key, const StepContext& ctx);

/// Serialization of the figures (exposed for the unit tests): JSON, every field.
std::string figures_to_json(const ModuleFigures& f, const std::vector<std::pair<Feature, int64_t>>& costs);
bool figures_from_json(const std::string& text, ModuleFigures& f,
                       std::vector<std::pair<Feature, int64_t>>& costs);

}  // namespace fleetpack
