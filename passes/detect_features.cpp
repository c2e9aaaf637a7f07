// detect-features: which post-MVP features the module really uses. Declared features (target_features)
// often differ from used ones, so we trust the code: the streaming scan records opcodes, types and
// section-level facts with offsets; then, for every feature the scan did not see, the module is validated
// again with that feature off. If wabt then rejects it, the feature is used after all (at the offset of
// wabt's error). So "used" means exactly "validation fails without it" (plus mutable-global imports and
// exports, which wabt 1.0.32 does not check).
#include <fmt/format.h>

#include <algorithm>

#include "passes/registry.h"

namespace fleetpack {

std::vector<FeatureUse> detect_features(const WasmModule& module) {
  std::vector<FeatureUse> uses = module.scan.features;
  FeatureSet seen = module.scan.used();
  for (Feature f : all_features()) {
    if (seen.has(f)) continue;
    FeatureSet without = FeatureSet::all();
    without.remove(f);
    RevalidateResult r = validate_with_features(module.bytes, without);
    if (r.ok) continue;
    FeatureUse u{f, 1, module.scan.function_at(r.offset), r.offset, r.message};
    uses.push_back(u);
  }
  std::sort(uses.begin(), uses.end(), [](const FeatureUse& a, const FeatureUse& b) { return a.feature < b.feature; });
  return uses;
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
