// The one table of profile keys (ccache's k_config_key_table): name, type, default, allowed values, a
// one-line doc, whether the key changes build outputs (and so belongs in the variant key), and how to set
// and show it. The loader, `fleetpack profiles keys|show`, the planner and docs/profiles.md all come from it.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/diagnostic.h"
#include "profiles/profile.h"

namespace fleetpack {

enum class KeyType { String, Bool, Number, Integer, Size, Enum, FeatureList, StringList };

struct ProfileKey {
  std::string name;  ///< dotted, e.g. "optimize.level"
  KeyType type;
  std::string default_text;          ///< as shown to users
  std::vector<std::string> allowed;  ///< Enum and FeatureList values; Integer: {min, max}
  std::string doc;
  bool affects_output = false;  ///< part of the variant key: profiles differing here get different files
  /// Sets the key on `p` from `node`; reports a wrong type or value at the node and returns false.
  std::function<bool(Profile& p, const YAML::Node& node, const std::string& file, Diagnostics& diags)> apply;
  /// The effective value, as `profiles show` prints it.
  std::function<std::string(const Profile& p)> show;
};

const std::vector<ProfileKey>& profile_keys();
const ProfileKey* find_profile_key(const std::string& dotted);
/// The section names that group keys ("wasm", "js", "optimize", ...).
std::vector<std::string> profile_key_sections();
/// The reference text printed by `fleetpack profiles keys` and kept in docs/profiles.md.
std::string render_profile_key_reference();

}  // namespace fleetpack
