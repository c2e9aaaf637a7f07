// The release's JSON documents (DESIGN.md "Release layout and manifest"): the index (fleetpack.index/1)
// and one manifest per profile (fleetpack.manifest/1). One model, one renderer and one strict reader, so
// what the writer writes is what verify reads; docs/schemas/ describes the same shapes as JSON Schema.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fleetpack {

inline constexpr char kManifestSchema[] = "fleetpack.manifest/1";
inline constexpr char kIndexSchema[] = "fleetpack.index/1";

/// One shipped file. Stored once per release at files/<sha256>, whatever profile lists it.
struct ManifestFile {
  std::string path;    ///< logical path inside the bundle ('/'-separated, relative)
  std::string sha256;  ///< of the uncompressed bytes
  uint64_t size = 0;   ///< uncompressed bytes
  uint64_t stored_size = 0;
  std::string encoding;  ///< "zstd" or "identity"
};

/// A patch from a previous version's file to this one (`fleetpack delta`), stored at deltas/<sha256>.zst.
struct ManifestDelta {
  std::string path;  ///< logical path of the file it produces
  std::string from_version;
  std::string from_sha256;  ///< the previous file (the patch's prefix)
  std::string sha256;       ///< the file it produces (the one listed under files)
  std::string patch;        ///< "deltas/<patch_sha256>.zst"
  std::string patch_sha256;
  uint64_t patch_size = 0;
};

struct Manifest {
  std::string app, version, profile, variant, target, entry;
  std::optional<std::string> native_min_version;  ///< native.min_version of the profile
  std::optional<std::string> channel;             ///< release.channel
  std::optional<int64_t> rollout_percent;         ///< release.rollout_percent
  std::optional<std::string> built_at;            ///< from SOURCE_DATE_EPOCH only
  std::vector<ManifestFile> files;                ///< sorted by path
  std::vector<ManifestDelta> deltas;              ///< sorted by path, then from_version
};

/// A file the index points at, with its hash and size.
struct IndexRef {
  std::string path, sha256;
  uint64_t size = 0;
};

struct IndexProfile {
  IndexRef manifest;  ///< profiles/<id>.json
  std::string variant;
};

struct ReleaseIndex {
  std::string app, version;
  std::optional<std::string> built_at;
  std::map<std::string, IndexProfile> profiles;  ///< profile id -> its manifest
  std::map<std::string, std::string> devices;    ///< device model -> profile id
  std::map<std::string, IndexRef> symbols;       ///< sha256 of a shipped engine -> its symbol map
  std::optional<IndexRef> report;                ///< report.json
};

/// Sorted keys, two-space indent, trailing newline: the canonical form, byte-identical for equal values.
std::string render_manifest(const Manifest& m);
std::string render_index(const ReleaseIndex& index);

/// Strict readers: every required key with its type, no unknown key, and the text must be the canonical
/// form of what it says (a hand edit shows). Problems (JSON-pointer-like paths) go to `problems`.
std::optional<Manifest> parse_manifest(const std::string& text, std::vector<std::string>& problems);
std::optional<ReleaseIndex> parse_index(const std::string& text, std::vector<std::string>& problems);

/// Where a file's bytes are stored in the release.
inline std::string stored_path(const std::string& sha256) { return "files/" + sha256; }
inline std::string patch_path(const std::string& patch_sha256) { return "deltas/" + patch_sha256 + ".zst"; }
inline std::string manifest_path(const std::string& profile) { return "profiles/" + profile + ".json"; }
inline std::string symbols_path(const std::string& engine_sha256) {
  return "symbols/" + engine_sha256 + ".map";
}

/// 64 lower-case hex digits.
bool is_sha256_hex(const std::string& s);
/// A logical path that stays inside its bundle: relative, '/'-separated, no empty, "." or ".." part, no
/// backslash or NUL.
bool is_safe_relative_path(const std::string& p);
/// A profile id usable as a file name (profiles/<id>.json).
bool is_safe_file_name(const std::string& s);

}  // namespace fleetpack
