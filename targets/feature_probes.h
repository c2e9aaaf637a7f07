// Tiny modules that each use one post-MVP feature: the auto target's loader asks the device's VM to
// validate them (WebAssembly.validate) to learn, without downloading the engine, whether it can run it.
#pragma once
#include <string>
#include <vector>

#include "base/features.h"
#include "base/file_io.h"

namespace fleetpack {

struct FeatureProbe {
  Feature feature;
  Bytes module;  ///< valid with the feature, invalid without it
};

/// One probe per feature of `features` that has one (every feature fleetpack detects but the proposals
/// no shipping VM has: gc, typed function references). Built with wabt from the table's text.
std::vector<FeatureProbe> feature_probes(FeatureSet features);

/// The probe's text for a feature, "" when it has none (exposed for tests).
std::string feature_probe_wat(Feature feature);

}  // namespace fleetpack
