#include "passes/registry.h"

#include <cassert>
#include <set>

#include "passes/lowering.h"

namespace fleetpack {

std::string StepContext::subject() const {
  if (profile && profiles_sharing.size() <= 1) return "profile '" + profile->id + "'";
  if (profiles_sharing.size() == 1) return "profile '" + profiles_sharing[0] + "'";
  if (!profiles_sharing.empty()) {
    std::string s = "profiles";
    for (size_t i = 0; i < profiles_sharing.size(); ++i) s += (i ? ", '" : " '") + profiles_sharing[i] + "'";
    return s;
  }
  return input_file;
}

namespace {
bool builds_fallback(const StepContext& c) { return c.build_fallback && c.module; }
}  // namespace

const std::vector<StepInfo>& all_steps() {
  static const std::vector<StepInfo> steps = [] {
    std::vector<StepInfo> s = {
        {"validate", "read the module and validate it with wabt before anything else touches it",
         StepStage::Shared, run_validate},
        {"detect-features", "find every post-MVP feature the module uses, with function and byte offset",
         StepStage::Shared, run_detect_features},
        {"optimize", "optimize with Binaryen (in a worker process) using exactly the features the input uses",
         StepStage::Shared, run_optimize},
        {"lower-nontrapping-float-to-int",
         "call spec-exact saturating helpers for trunc_sat ops when the profile's VM lacks them",
         StepStage::PerVariant, run_lower_trunc_sat,
         [](const StepContext& c) { return lowering_applies(c, Feature::NontrappingFloatToInt); }},
        {"lower-multivalue",
         "rewrite block types of the multivalue proposal to MVP forms when the profile's VM lacks multivalue",
         StepStage::PerVariant, run_lower_multivalue,
         [](const StepContext& c) { return lowering_applies(c, Feature::Multivalue); }},
        {"lower-reference-types",
         "re-encode call_indirect and element segments in MVP form when no reference values are used",
         StepStage::PerVariant, run_lower_reference_types,
         [](const StepContext& c) { return lowering_applies(c, Feature::ReferenceTypes); }},
        {"lower-bulk-memory",
         "call helpers for memory.copy/fill and make passive data segments active when the VM lacks it",
         StepStage::PerVariant, run_lower_bulk_memory,
         [](const StepContext& c) { return lowering_applies(c, Feature::BulkMemory); }},
        {"lower-sign-ext", "rewrite sign-extension ops as shift pairs when the profile's VM lacks sign-ext",
         StepStage::PerVariant, run_lower_sign_ext,
         [](const StepContext& c) { return lowering_applies(c, Feature::SignExt); }},
        {"check-features", "fail when the module still uses a feature the profile's VM lacks",
         StepStage::PerVariant, run_check_features},
        {"strip", "remove custom sections the profile does not keep (names, producers, ...)",
         StepStage::PerVariant, run_strip},
        {"measure", "measure the shipped module: bytes raw and zstd-compressed", StepStage::PerVariant,
         run_measure},
        {"measure-init",
         "run the configured init export in wabt's interpreter and measure the memory it reaches",
         StepStage::PerVariant, run_measure_init},
        {"lower-traps",
         "JS fallbacks only: check memory bounds, division and float-to-int range where Wasm traps (wasm2js "
         "does not)",
         StepStage::PerVariant, run_lower_traps, builds_fallback},
        {"wasm2js",
         "translate the module to JS with Binaryen's wasm2js (in a worker) for targets js and auto, after "
         "lowering everything wasm2js mishandles",
         StepStage::PerVariant, run_wasm2js, builds_fallback},
    };
    std::set<std::string> names;
    for (const auto& step : s) {
      bool unique = names.insert(step.name).second;
      assert(unique && "step names must be unique");
      (void)unique;
    }
    return s;
  }();
  return steps;
}

const StepInfo* find_step(const std::string& name) {
  for (const auto& s : all_steps())
    if (name == s.name) return &s;
  return nullptr;
}

std::vector<const StepInfo*> default_pipeline(StepStage stage) {
  std::vector<const StepInfo*> out;
  for (const auto& s : all_steps())
    if (s.stage == stage) out.push_back(&s);
  return out;
}

}  // namespace fleetpack
