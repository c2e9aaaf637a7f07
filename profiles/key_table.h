// The one table of profile keys (ccache's k_config_key_table): name, type, default, allowed values and a
// one-line doc. The loader, `fleetpack profiles keys` and docs/profiles.md all come from it.
#pragma once
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/diagnostic.h"
#include "profiles/profile.h"

namespace fleetpack {

enum class KeyType { String, FeatureList, Enum, StringList };

struct ProfileKey {
  const char* name;  ///< dotted, e.g. "optimize.level"
  KeyType type;
  const char* default_text;          ///< as shown to users
  std::vector<std::string> allowed;  ///< for Enum (and FeatureList: the feature names)
  const char* doc;
  /// Sets the key on `p` from `node`; reports a wrong type or value at the node and returns false.
  bool (*apply)(Profile& p, const YAML::Node& node, const std::string& file, Diagnostics& diags);
};

const std::vector<ProfileKey>& profile_keys();
const ProfileKey* find_profile_key(const std::string& dotted);
/// The section names that group keys ("wasm", "optimize", "strip").
std::vector<std::string> profile_key_sections();
/// The reference text printed by `fleetpack profiles keys`.
std::string render_profile_key_reference();

}  // namespace fleetpack
