// detect-features: which post-MVP features the module really uses. Declared features (target_features)
// often differ from used ones, so we trust the code: the streaming scan records opcodes, types and
// section-level facts with offsets; then, for every feature the scan did not see, the module is validated
// again with that feature off. If wabt then rejects it, the feature is used after all (at the offset of
// wabt's error). So "used" means exactly "validation fails without it" (plus mutable-global imports and
// exports, which wabt 1.0.32 does not check), with one refinement: wabt cannot turn bulk-memory off
// without reference-types, so a module whose only "bulk-memory" is its reference types does not count.
#include <algorithm>

#include <fmt/format.h>

#include "passes/registry.h"

namespace fleetpack {

namespace {
/// wabt ties features together (Features::UpdateDependencies in 1.0.32): reference-types is forced off
/// without bulk-memory, and forced on by exception-handling and function-references. So turning
/// bulk-memory off turns reference-types off too, and turning reference-types off needs those off.
FeatureSet tied_to(Feature f) {
  FeatureSet s;
  if (f == Feature::BulkMemory) s.add(Feature::ReferenceTypes);
  if (f == Feature::ReferenceTypes) {
    s.add(Feature::ExceptionHandling);
    s.add(Feature::TypedFunctionReferences);
    s.add(Feature::Gc);
  }
  return s;
}

/// Re-check order: features that others are tied to are decided last, after what ties them is known.
const Feature kRecheckOrder[] = {
    Feature::Gc,
    Feature::TypedFunctionReferences,
    Feature::ExceptionHandling,
    Feature::ReferenceTypes,
    Feature::BulkMemory,
    Feature::SignExt,
    Feature::NontrappingFloatToInt,
    Feature::MutableGlobals,
    Feature::Multivalue,
    Feature::Simd,
    Feature::Threads,
    Feature::TailCall,
    Feature::Memory64,
    Feature::MultiMemory,
    Feature::ExtendedConst,
    Feature::RelaxedSimd,
};
static_assert(sizeof kRecheckOrder / sizeof kRecheckOrder[0] == kFeatureCount);

std::vector<FeatureUse> compute_features(const WasmModule& module) {
  std::vector<FeatureUse> uses = module.scan.features;
  FeatureSet used = module.scan.used();
  // Usually the scan saw everything: one validation with just those features proves it (wabt needs
  // bulk-memory on for reference-types). Only when that fails is each feature checked on its own.
  FeatureSet scan_set = used;
  if (scan_set.has(Feature::ReferenceTypes)) scan_set.add(Feature::BulkMemory);
  if (validate_with_features(module.bytes, scan_set).ok) return uses;
  for (Feature f : kRecheckOrder) {
    if (used.has(f)) continue;
    FeatureSet tied = tied_to(f);
    // If a tied feature is in use, wabt cannot turn f off alone: the scan's answer stands.
    if (!tied.minus(tied.minus(used)).empty()) continue;
    FeatureSet without = FeatureSet::all().minus(tied);
    without.remove(f);
    RevalidateResult r = validate_with_features(module.bytes, without);
    if (r.ok) continue;
    uses.push_back(FeatureUse{f, 1, module.scan.function_at(r.offset), r.offset, r.message});
    used.add(f);
  }
  std::sort(uses.begin(), uses.end(),
            [](const FeatureUse& a, const FeatureUse& b) { return a.feature < b.feature; });
  return uses;
}

}  // namespace

std::vector<FeatureUse> detect_features(const WasmModule& module) {
  // Asked of one module by several steps; its answer never changes (see WasmModule::detected_features).
  if (!module.detected_features)
    module.detected_features = std::make_shared<const std::vector<FeatureUse>>(compute_features(module));
  return *module.detected_features;
}

bool run_detect_features(StepContext& ctx) {
  if (!ctx.module) return false;
  ctx.input_features = detect_features(*ctx.module);
  if (auto* mm = ctx.module->scan.use_of(Feature::MultiMemory)) {
    // Binaryen 108 cannot represent several memories; stop before it would die on them.
    ctx.diags.error(ErrorKind::CheckFailed, Location::binary(ctx.input_file, mm->first_offset),
                    "the module uses multi-memory, which Binaryen 108 cannot optimize",
                    "build the engine with a single memory");
    return false;
  }
  return true;
}

}  // namespace fleetpack
