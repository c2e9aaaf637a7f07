// A device profile: what one class of device can run and afford (DESIGN.md "Vocabulary").
#pragma once
#include <map>
#include <string>
#include <vector>

#include "base/features.h"

namespace fleetpack {

/// Where an effective value came from: a file and line, or the built-in default.
struct Origin {
  std::string file;  ///< empty for the key table's default
  int line = 0;
  int column = 0;
  std::string describe() const;  ///< "profiles/tv.yaml:4:3" or "default"
};

struct Profile {
  std::string id;
  std::string extends;  ///< parent id, or "" for a root profile
  std::string description;
  FeatureSet features;                    ///< wasm.features: post-MVP features the device's VM supports
  std::string optimize_level = "Os";      ///< optimize.level
  std::vector<std::string> strip_keep;    ///< strip.keep: custom sections that ship
  std::string file;                       ///< the file that defines this profile
  std::map<std::string, Origin> origins;  ///< dotted key -> where its effective value was set
};

}  // namespace fleetpack
