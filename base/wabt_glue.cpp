#include "base/wabt_glue.h"

namespace fleetpack {

namespace {
void set_feature(wabt::Features& w, Feature f, bool on) {
  switch (f) {
    case Feature::SignExt:
      w.set_sign_extension_enabled(on);
      break;
    case Feature::NontrappingFloatToInt:
      w.set_sat_float_to_int_enabled(on);
      break;
    case Feature::BulkMemory:
      w.set_bulk_memory_enabled(on);
      break;
    case Feature::MutableGlobals:
      w.set_mutable_globals_enabled(on);
      break;
    case Feature::Multivalue:
      w.set_multi_value_enabled(on);
      break;
    case Feature::ReferenceTypes:
      w.set_reference_types_enabled(on);
      break;
    case Feature::Simd:
      w.set_simd_enabled(on);
      break;
    case Feature::Threads:
      w.set_threads_enabled(on);
      break;
    case Feature::ExceptionHandling:
      w.set_exceptions_enabled(on);
      break;
    case Feature::TailCall:
      w.set_tail_call_enabled(on);
      break;
    case Feature::Memory64:
      w.set_memory64_enabled(on);
      break;
    case Feature::MultiMemory:
      w.set_multi_memory_enabled(on);
      break;
    case Feature::ExtendedConst:
      w.set_extended_const_enabled(on);
      break;
    case Feature::Gc:
      w.set_gc_enabled(on);
      break;
    case Feature::RelaxedSimd:
      w.set_relaxed_simd_enabled(on);
      break;
    case Feature::TypedFunctionReferences:
      w.set_function_references_enabled(on);
      break;
  }
}
}  // namespace

wabt::Features to_wabt_features(FeatureSet set) {
  wabt::Features w;
  for (Feature f : all_features()) set_feature(w, f, false);
  for (Feature f : set.list()) set_feature(w, f, true);
  // wabt 1.0.32's typed-function-references and GC support is incomplete: its type checker asserts
  // (aborting the process) on call_ref forms the fuzzer found. We never turn them on, so such modules
  // are refused as invalid input instead.
  w.disable_gc();
  w.disable_function_references();
  return w;
}

wabt::Features all_wabt_features() { return to_wabt_features(FeatureSet::all()); }

}  // namespace fleetpack
