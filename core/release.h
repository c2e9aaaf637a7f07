// The release writer: turns the bundles a build produced into the on-disk release of DESIGN.md "Release
// layout and manifest", staged beside its final place and published in one rename.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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
  std::optional<std::string> channel;              ///< fleetpack.yaml release.channel
  std::optional<int64_t> rollout_percent;          ///< fleetpack.yaml release.rollout_percent
  std::string report_json;                         ///< report.json (empty: none)
  std::optional<fs::path> sign_key;                ///< minisign secret key: sign index and manifests
  bool archive = false;                            ///< also write <release_dir>.tar.zst
  /// zstd of a file (its bytes and their SHA-256 hex) at a level; empty: zstd_compress. The build passes
  /// one that keeps compressed files in the content store (core/build_cache.h, CompressedFiles).
  std::function<const Bytes&(const std::string& sha, const Bytes& bytes, int level)> compress;
};

struct BuildResult;
/// report.json of a release: the build report (docs/build-report.md) as published, with the engine named
/// by file name and the release by <app>/<version>, so it does not depend on the folders it was built in.
std::string render_release_report(const BuildResult& result);

/// Writes the release into `release_dir` (<out>/<app>/<version>) in the layout of docs/release.md:
/// index.json, profiles/<id>.json, files/<sha256> (zstd at the profile's level when that is smaller, each
/// decompressed and checked against its hash first), symbols/<sha256>.map, report.json, signatures.
/// Atomically: on any error nothing changes (release_tree.h).
bool write_release(const ReleaseInput& in, const fs::path& release_dir, Diagnostics& diags);

}  // namespace fleetpack
