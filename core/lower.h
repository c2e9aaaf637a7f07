// `fleetpack lower`: only the lowering steps (and the final feature check) for one profile, without
// optimizing or stripping, so users and tests can look at exactly what a lowering does.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/features.h"
#include "base/file_io.h"

namespace fleetpack {

struct LowerOptions {
  fs::path module;
  std::string profile;                  ///< lower for this profile's wasm.features
  std::optional<std::string> features;  ///< or for exactly these (comma-separated), instead of a profile
  std::vector<fs::path> profile_dirs;
  fs::path out;
};

struct LowerResult {
  FeatureSet used_before, used_after;
  std::vector<std::pair<Feature, int64_t>> costs;  ///< bytes added per lowering
  uint64_t bytes_before = 0, bytes_after = 0;
  bool written = false;
};

LowerResult run_lower(const LowerOptions& options, Diagnostics& diags);
std::string render_lower_result(const LowerResult& r);

}  // namespace fleetpack
