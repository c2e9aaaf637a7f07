// The release writer: turns the bundles a build produced into the on-disk release of DESIGN.md "Release
// layout and manifest", staged beside its final place and published in one rename.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "profiles/device_map.h"
#include "profiles/profile.h"
#include "targets/target.h"

namespace fleetpack {

/// One profile's bundle. Profiles of one variant share the same TargetOutput.
struct ReleaseBundle {
  const Profile* profile = nullptr;
  std::string variant;  ///< the full variant key
  std::string target;   ///< wasm, js or auto
  std::shared_ptr<const TargetOutput> output;
};

struct ReleaseInput {
  std::string app;
  std::string version;
  std::vector<ReleaseBundle> bundles;              ///< in selection order
  std::map<std::string, std::string> symbol_maps;  ///< sha256 of the shipped engine -> symbol map text
  const DeviceMap* devices = nullptr;              ///< device models -> profiles, when a map was given
};

/// Writes the release into `release_dir` (<out>/<app>/<version>) atomically: on any error nothing changes.
bool write_release(const ReleaseInput& in, const fs::path& release_dir, Diagnostics& diags);

}  // namespace fleetpack
