// Loads device profiles: the built-in catalog (embedded) plus the user's profile folders, with extends:
// resolved and every key checked against the key table. All errors of a run are reported together.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "profiles/profile.h"

namespace fleetpack {

/// One profile file's text. Built-in files are named "<catalog>/NAME.yaml" in diagnostics.
struct ProfileSource {
  std::string file;
  std::string text;
  bool builtin = false;
};

class ProfileCatalog {
 public:
  const Profile* find(const std::string& id) const;
  std::vector<std::string> ids() const;  ///< sorted
  const std::map<std::string, Profile>& all() const { return profiles_; }
  void put(Profile p) { profiles_[p.id] = std::move(p); }

 private:
  std::map<std::string, Profile> profiles_;
};

/// Parses and resolves the given sources. A user profile with a built-in's id replaces the built-in.
/// Errors (Usage) for: YAML syntax, unknown key (with did-you-mean), wrong type, bad value, missing id,
/// missing parent, extends cycle, duplicate id among user files.
ProfileCatalog load_profile_sources(const std::vector<ProfileSource>& sources, Diagnostics& diags);

/// The built-in catalog plus every *.yaml / *.yml file in each of `user_dirs` (sorted by name).
ProfileCatalog load_profiles(const std::vector<fs::path>& user_dirs, Diagnostics& diags);

/// The embedded catalog's sources.
std::vector<ProfileSource> builtin_profile_sources();

}  // namespace fleetpack
