// check-features: after the lower-* steps, the shipped module may use only the features the profile's VM
// supports. A use left over is an error naming profile, feature, function and offset: "cannot lower" with
// the way out when fleetpack has no lowering for the feature, an internal error when a lowering left it.
// The check runs on the optimized module (dead code Binaryen removed does not count) but points at the
// first use in the input, the file the user knows.
#include <fmt/format.h>

#include "passes/registry.h"

namespace fleetpack {

namespace {
/// The compiler flag that stops a toolchain from emitting the feature.
std::string compiler_hint(Feature f) {
  switch (f) {
    case Feature::SignExt:
      return "clang -mno-sign-ext, rustc -C target-feature=-sign-ext";
    case Feature::NontrappingFloatToInt:
      return "clang -mno-nontrapping-fptoint, rustc -C target-feature=-nontrapping-fptoint";
    case Feature::BulkMemory:
      return "clang -mno-bulk-memory, rustc -C target-feature=-bulk-memory";
    case Feature::MutableGlobals:
      return "clang -mno-mutable-globals, rustc -C target-feature=-mutable-globals";
    case Feature::Multivalue:
      return "clang -mno-multivalue, rustc -C target-feature=-multivalue";
    case Feature::ReferenceTypes:
      return "clang -mno-reference-types, rustc -C target-feature=-reference-types";
    case Feature::Simd:
      return "clang -mno-simd128, rustc -C target-feature=-simd128";
    default:
      return "your compiler's target-feature flags";
  }
}
}  // namespace

bool run_check_features(StepContext& ctx) {
  if (!ctx.module || !ctx.profile) return false;
  const FeatureSet allowed = ctx.profile->features;
  // Fast path: one validation with exactly the profile's features, plus the check wabt does not make.
  const FeatureUse* mut = ctx.module->scan.use_of(Feature::MutableGlobals);
  if (validate_with_features(ctx.module->bytes, allowed).ok && (!mut || allowed.has(Feature::MutableGlobals)))
    return true;

  bool ok = true;
  for (const FeatureUse& use : detect_features(*ctx.module)) {
    if (allowed.has(use.feature)) continue;
    ok = false;
    // Point at the input's first use when it has one: that file and its offsets are what the user has.
    const FeatureUse* where = &use;
    const WasmModule* in = ctx.input ? &*ctx.input : &*ctx.module;
    for (const auto& u : ctx.input_features)
      if (u.feature == use.feature) where = &u;
    if (find_step("lower-" + std::string(feature_name(use.feature)))) {
      // Its lowering ran and reported success, yet uses remain: our bug, not the user's.
      ctx.diags.error(
          ErrorKind::Internal, Location::binary(ctx.input_file, where->first_offset),
          fmt::format("{}: the lowering of '{}' left {} use{} ({})", ctx.subject(), feature_name(use.feature),
                      use.count, use.count == 1 ? "" : "s", use.first_what),
          "this is a fleetpack bug; please report it with the module");
      continue;
    }
    std::string func = where->first_func
                           ? fmt::format("function '{}'", in->function_label(*where->first_func))
                           : std::string("the module");
    const std::string uses =
        fmt::format("{}: {} uses feature '{}' ({}; {} use{} after optimization)", ctx.subject(), func,
                    feature_name(use.feature), where->first_what, use.count, use.count == 1 ? "" : "s");
    if (ctx.build_fallback) {  // the JS fallback: no VM setting can help, only the engine's build
      ctx.diags.error(ErrorKind::CheckFailed, Location::binary(ctx.input_file, where->first_offset),
                      uses +
                          ", which the JS fallback cannot express: wasm2js translates MVP Wasm only and "
                          "fleetpack cannot lower it",
                      fmt::format("build the engine without it for devices without Wasm ({}), or give this "
                                  "profile a Wasm VM (target: wasm or auto)",
                                  compiler_hint(use.feature)));
      continue;
    }
    ctx.diags.error(
        ErrorKind::CheckFailed, Location::binary(ctx.input_file, where->first_offset),
        uses + ", which the profile's VM lacks and fleetpack cannot lower",
        fmt::format(
            "add '{}' to wasm.features if the profile's devices support it, choose a profile that has it, "
            "or build the engine without it ({})",
            feature_name(use.feature), compiler_hint(use.feature)));
  }
  return ok;
}

}  // namespace fleetpack
