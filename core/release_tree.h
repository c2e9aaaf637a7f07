// A release as a sorted map of relative path -> bytes: what the writer assembles, what `delta` reads and
// rewrites, what is signed, archived and published. Keeping the whole tree in memory (engines are a few MB)
// makes every way of writing it byte-identical and lets it be checked before anything is visible.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "base/minisign.h"

namespace fleetpack {

using ReleaseTree = std::map<std::string, Bytes>;

/// Publishes `tree` as `release_dir` atomically: holds an flock on the app folder (the parent) so
/// concurrent builds and deltas publish one after the other, removes what killed builds left
/// (StagingDir::remove_abandoned), stages every file with mode 0644 and every folder 0755 (whatever the
/// umask), fsyncs, then swaps the staged folder into place.
bool publish_release_tree(const ReleaseTree& tree, const fs::path& release_dir, Diagnostics& diags);

/// Writes `<release_dir>.tar.zst`: a ustar archive of `tree` under `<version>/`, entries sorted, owner 0,
/// modes 0644/0755, every mtime SOURCE_DATE_EPOCH (else 0), zstd level 19.
bool write_release_archive(const ReleaseTree& tree, const fs::path& release_dir, Diagnostics& diags);

/// Reads every regular file under `dir` into a tree. Errors name the file (exit 3).
std::optional<ReleaseTree> read_release_tree(const fs::path& dir, Diagnostics& diags);

/// Loads an unencrypted minisign secret key (PREFIX.key from `fleetpack keygen`). Errors never quote it.
std::unique_ptr<MinisignSecretKey> load_secret_key(const fs::path& file, Diagnostics& diags);

/// `fleetpack keygen --out PREFIX`: writes PREFIX.key (mode 0600) and PREFIX.pub, never replacing an
/// existing file (Usage error). Returns the key id.
std::optional<std::string> generate_key_files(const fs::path& prefix, Diagnostics& diags);

/// Adds `<file>.minisig` beside index.json and every profiles/*.json of `tree` (replacing old ones).
void sign_release_tree(ReleaseTree& tree, const MinisignSecretKey& key, const std::string& app,
                       const std::string& version);

/// The untrusted and trusted comments fleetpack writes into a release file's signature (verify expects
/// exactly these, so a changed byte anywhere in a .minisig shows).
std::string signature_untrusted_comment();
std::string signature_trusted_comment(const std::string& app, const std::string& version,
                                      const std::string& rel_path);

/// "YYYY-MM-DDTHH:MM:SSZ" from SOURCE_DATE_EPOCH, nullopt when it is unset (no timestamps then). A value
/// that is not a non-negative integer is a Usage error.
std::optional<std::string> release_built_at(Diagnostics& diags);
/// SOURCE_DATE_EPOCH as a number, 0 when unset or invalid (archive mtimes).
uint64_t source_date_epoch_or_zero();

}  // namespace fleetpack
