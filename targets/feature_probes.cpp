#include "targets/feature_probes.h"

#include "base/wat.h"

namespace fleetpack {

std::string feature_probe_wat(Feature f) {
  switch (f) {
    case Feature::SignExt:
      return "(module (func (result i32) (i32.extend8_s (i32.const 0))))";
    case Feature::NontrappingFloatToInt:
      return "(module (func (result i32) (i32.trunc_sat_f32_s (f32.const 0))))";
    case Feature::BulkMemory:
      return "(module (memory 1) (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))";
    case Feature::MutableGlobals:
      return "(module (global (export \"g\") (mut i32) (i32.const 0)))";
    case Feature::Multivalue:
      return "(module (func (result i32 i32) (i32.const 0) (i32.const 0)))";
    case Feature::ReferenceTypes:
      return "(module (func (param externref)))";
    case Feature::Simd:
      return "(module (func (result v128) (v128.const i32x4 0 0 0 0)))";
    case Feature::Threads:
      return "(module (memory 1 1 shared))";
    case Feature::ExceptionHandling:
      return "(module (tag) (func))";
    case Feature::TailCall:
      return "(module (func (return_call 0)))";
    case Feature::Memory64:
      return "(module (memory i64 1))";
    case Feature::MultiMemory:
      return "(module (memory 1) (memory 1))";
    case Feature::ExtendedConst:
      return "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))";
    case Feature::RelaxedSimd:
      return "(module (func (result v128) (i8x16.relaxed_swizzle (v128.const i32x4 0 0 0 0) "
             "(v128.const i32x4 0 0 0 0))))";
    case Feature::Gc:
    case Feature::TypedFunctionReferences:
      return "";
  }
  return "";
}

std::vector<FeatureProbe> feature_probes(FeatureSet features) {
  std::vector<FeatureProbe> out;
  for (Feature f : all_features()) {
    if (!features.has(f)) continue;
    std::string wat = feature_probe_wat(f), error;
    if (wat.empty()) continue;
    FeatureSet only;
    only.add(f);
    if (f == Feature::RelaxedSimd) only.add(Feature::Simd);
    if (f == Feature::ReferenceTypes) only.add(Feature::BulkMemory);  // wabt ties the two (DESIGN.md)
    if (auto bytes = compile_wat(wat, only, error)) out.push_back({f, std::move(*bytes)});
  }
  return out;
}

}  // namespace fleetpack
