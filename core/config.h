// fleetpack.yaml: what to build (DESIGN.md "Data flow", step 1). Paths in the file are relative to it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "passes/step.h"

namespace fleetpack {

struct BuildConfig {
  std::string app;                      ///< app name, a path component of the output
  std::string version;                  ///< release version (semver)
  fs::path engine;                      ///< the engine module (.wasm)
  std::vector<fs::path> js;             ///< app JS files
  fs::path js_root;                     ///< JS files ship at their path relative to this folder
  std::vector<fs::path> profile_dirs;   ///< user profile folders, added to the built-in catalog
  std::vector<std::string> select;      ///< profile ids to build; empty = every user profile
  std::vector<Location> select_where;   ///< where each id of `select` is written (for diagnostics)
  bool select_from_flags = false;       ///< `select` came from --profile flags (they beat a device map)
  fs::path out;                         ///< output folder
  fs::path devices;                     ///< device map CSV (model,profile); empty when none
  std::string js_global = "fleetpack";  ///< the global an ES5 engine script defines
  std::optional<InitSettings> init;     ///< `init:`: the export measure-init runs; nullopt when none
  // `release:` (docs/release.md): rollout metadata for the manifests, and the signing key.
  std::optional<std::string> channel;      ///< release.channel
  std::optional<int64_t> rollout_percent;  ///< release.rollout_percent (0..100)
  std::optional<fs::path> signing_key;     ///< release.signing_key: minisign secret key, relative to the file
};

/// The release version when neither fleetpack.yaml nor --version gives one: `git describe --tags --dirty`
/// in `dir`, as semver (base/semver.h). A Usage error when git has no tag to describe or it is not semver.
std::optional<std::string> version_from_git(const fs::path& dir, Diagnostics& diags);

/// Reads and checks fleetpack.yaml. Unknown keys, wrong types and missing required keys are Usage errors
/// with file:line:col.
std::optional<BuildConfig> load_build_config(const fs::path& path, Diagnostics& diags);

/// The keys fleetpack.yaml accepts, with their documentation (for --help and docs).
std::string render_config_reference();

}  // namespace fleetpack
