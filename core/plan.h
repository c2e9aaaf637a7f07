// The planner (DESIGN.md "Data flow", step 3): profiles whose effective output-affecting settings are the
// same share a variant, built once. The variant key hashes the input files, the fleetpack version and
// exactly the settings the key table marks as changing outputs, with wasm.features reduced to what it
// changes for this engine: the features the engine uses that the profile lacks (those get lowered). So
// profiles that differ only in budgets, descriptions or features the engine never uses share a variant.
#pragma once
#include <string>
#include <vector>

#include "base/features.h"
#include "profiles/device_map.h"
#include "profiles/profile.h"

namespace fleetpack {

struct PlanInputs {
  std::string engine_sha256;
  FeatureSet engine_features;          ///< what the engine uses (detect-features)
  std::vector<std::string> app_files;  ///< "logical/path sha256", in build order
};

struct Variant {
  std::string key;                       ///< sha256 hex of the canonical settings text
  std::string settings;                  ///< that text: one `key=value` line per setting
  FeatureSet lowered;                    ///< engine features this variant's profiles lack
  std::vector<const Profile*> profiles;  ///< in the order they were given
};

struct Plan {
  std::vector<Variant> variants;  ///< in order of their first profile
};

Plan make_plan(const std::vector<const Profile*>& profiles, const PlanInputs& inputs);

/// Text or JSON (schema fleetpack.plan/1); with a device map, each variant lists its device count.
std::string render_plan(const Plan& plan, bool json, const DeviceMap* devices);

}  // namespace fleetpack
