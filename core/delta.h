// `fleetpack delta OLD NEW`: per changed file of NEW, a zstd patch against OLD's file of the same profile
// and path (base/zstd_patch.h), kept when it is at most half the file's stored size, listed in NEW's
// manifests and stored at deltas/<sha256>.zst. NEW is rewritten as a whole and published atomically.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"

namespace fleetpack {

struct DeltaOptions {
  fs::path old_release, new_release;
  std::optional<fs::path> sign_key;  ///< re-sign NEW (required when NEW is signed)
  bool archive = false;              ///< rewrite <NEW>.tar.zst too
  double max_ratio = 0.5;            ///< keep a patch only when patch bytes < ratio x stored bytes
};

struct DeltaItem {
  std::string profile, path;
  uint64_t size = 0, stored_size = 0, patch_size = 0;
  bool kept = false;  ///< small enough to be worth it
};

struct DeltaResult {
  std::string app, from_version, to_version;
  std::vector<DeltaItem> items;  ///< every changed file considered, in profile then path order
};

/// Checks both releases (verify), makes and checks the patches, rewrites NEW. nullopt after errors.
std::optional<DeltaResult> make_release_deltas(const DeltaOptions& options, Diagnostics& diags);

/// Applies a patch file to the old file, writing the new one (`fleetpack patch`); with `expected_sha256`,
/// refuses output whose hash differs. Errors name the file (exit 3 for unreadable or damaged input,
/// exit 1 for a hash mismatch).
bool apply_patch_file(const fs::path& old_file, const fs::path& patch, const fs::path& out,
                      const std::optional<std::string>& expected_sha256, Diagnostics& diags);

std::string render_delta_result(const DeltaResult& r);

}  // namespace fleetpack
