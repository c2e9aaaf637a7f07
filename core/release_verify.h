// `fleetpack verify`: checks a release as a device or a delivery pipeline would trust it (docs/release.md
// "Verify"): schema of index and manifests, every hash and size, decompression, patches, signatures,
// paths that leave the release folder, symbolic links, files missing or not listed.
#pragma once
#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "base/file_io.h"

namespace fleetpack {

struct VerifyOptions {
  fs::path release;                  ///< <out>/<app>/<version>
  std::optional<fs::path> pubkey;    ///< minisign public key: signatures must exist and match
  std::optional<fs::path> previous;  ///< the release deltas start from: apply every patch and compare
};

struct VerifySummary {
  std::string app, version;
  size_t profiles = 0, files = 0, deltas = 0, deltas_applied = 0, signatures = 0;
  bool signed_release = false;  ///< .minisig files are present
  bool key_given = false;       ///< --pubkey: signatures were checked
};

/// Every problem is a CheckFailed error (exit 1) naming the release file it is about; an unreadable
/// release folder or key is InvalidInput (exit 3). The summary is filled as far as the release could be
/// read.
VerifySummary verify_release(const VerifyOptions& options, Diagnostics& diags);

/// "release demo 1.0.0: 2 profiles, 5 files, ... ok" for the terminal.
std::string render_verify_summary(const VerifySummary& s, bool ok);

}  // namespace fleetpack
