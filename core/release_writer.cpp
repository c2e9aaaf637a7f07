#include "base/hash.h"
#include "core/release.h"

namespace fleetpack {

bool write_release(const ReleaseInput& in, const fs::path& release_dir, Diagnostics& diags) {
  auto staging = StagingDir::create(release_dir, diags);
  if (!staging) return false;
  for (const auto& b : in.bundles)
    for (const auto& f : b.output->files)
      if (!write_file_atomic(staging->path() / b.profile->id / f.logical_path, f.bytes, diags)) return false;
  // Symbol maps beside the bundles, never in them: symbols/<sha256 of the shipped engine>.map.
  for (const auto& [sha, map] : in.symbol_maps)
    if (!write_file_atomic(staging->path() / "symbols" / (sha + ".map"), map, diags)) return false;
  return staging->publish(diags);
}

}  // namespace fleetpack
