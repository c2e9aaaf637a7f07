#include "base/features.h"

#include <fmt/format.h>

namespace fleetpack {

namespace {
struct FeatureInfo {
  Feature feature;
  const char* name;
  const char* wabt_name;  // wabt's flag spelling where it differs
};
const FeatureInfo kFeatures[] = {
    {Feature::SignExt, "sign-ext", "sign-extension"},
    {Feature::NontrappingFloatToInt, "nontrapping-float-to-int", "saturating-float-to-int"},
    {Feature::BulkMemory, "bulk-memory", "bulk-memory"},
    {Feature::MutableGlobals, "mutable-globals", "mutable-globals"},
    {Feature::Multivalue, "multivalue", "multi-value"},
    {Feature::ReferenceTypes, "reference-types", "reference-types"},
    {Feature::Simd, "simd", "simd"},
    {Feature::Threads, "threads", "threads"},
    {Feature::ExceptionHandling, "exception-handling", "exceptions"},
    {Feature::TailCall, "tail-call", "tail-call"},
    {Feature::Memory64, "memory64", "memory64"},
    {Feature::MultiMemory, "multi-memory", "multi-memory"},
    {Feature::ExtendedConst, "extended-const", "extended-const"},
    {Feature::Gc, "gc", "gc"},
    {Feature::RelaxedSimd, "relaxed-simd", "relaxed-simd"},
    {Feature::TypedFunctionReferences, "typed-function-references", "function-references"},
};
static_assert(sizeof kFeatures / sizeof kFeatures[0] == kFeatureCount);
}  // namespace

const std::vector<Feature>& all_features() {
  static const std::vector<Feature> v = [] {
    std::vector<Feature> r;
    for (const auto& f : kFeatures) r.push_back(f.feature);
    return r;
  }();
  return v;
}

std::string_view feature_name(Feature f) { return kFeatures[static_cast<int>(f)].name; }

std::optional<Feature> parse_feature(std::string_view name) {
  for (const auto& f : kFeatures)
    if (name == f.name || name == f.wabt_name) return f.feature;
  return std::nullopt;
}

std::string feature_name_list() {
  std::string out;
  for (const auto& f : kFeatures) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

FeatureSet FeatureSet::all() { return FeatureSet((1u << kFeatureCount) - 1); }

std::vector<Feature> FeatureSet::list() const {
  std::vector<Feature> r;
  for (Feature f : all_features())
    if (has(f)) r.push_back(f);
  return r;
}

std::string FeatureSet::to_string() const {
  if (empty()) return "none (MVP)";
  std::string out;
  for (Feature f : list()) out += (out.empty() ? "" : ", ") + std::string(feature_name(f));
  return out;
}

}  // namespace fleetpack
