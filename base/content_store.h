// The content store (DESIGN.md "Data flow", step 4): results of earlier work, so a build never redoes
// what this machine, or another CI runner sharing a remote cache, has already done. Laid out like Bazel's
// disk and remote caches:
//   <dir>/cas/<sha256>   a blob, named by the SHA-256 of its bytes
//   <dir>/ac/<key>       an action record: JSON naming the blobs (by sha256 and size) an action produced
// An action key hashes the action's inputs, every setting that affects its outputs, and the fleetpack
// version and build (action_key below). Writes go to a temporary name in the same folder and are renamed
// into place, so concurrent builds sharing a store never see a partial entry; reads verify every blob's
// hash, so a corrupt entry is reported (a warning naming it), removed and recomputed, never used.
// With a remote cache (base/remote_cache.h) the local store is asked first, then the remote; what the
// remote has is copied into the local store; what was computed goes to both. A remote that fails is
// reported once (a warning) and not asked again during this run: the build does the work locally.
// Knows nothing of steps: callers give keys and named output blobs. See docs/cache.md.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "base/file_io.h"

namespace fleetpack {

class RemoteCache;

struct CacheSettings {
  std::optional<fs::path> dir;  ///< the local store; nullopt: none (--no-cache)
  std::string remote_url;       ///< --remote-cache; empty: none
  std::chrono::milliseconds remote_timeout{10000};
};

/// The local store's folder: `flag` if given, else $FLEETPACK_CACHE, else $XDG_CACHE_HOME/fleetpack,
/// else $HOME/.cache/fleetpack; nullopt when none of them is set.
std::optional<fs::path> resolve_cache_dir(const std::optional<fs::path>& flag);

/// An action's outputs: name -> bytes ("engine.wasm", "result.json", ...).
using Blobs = std::map<std::string, Bytes>;

/// What one run of the store did (counted per action lookup).
struct CacheCounters {
  uint64_t local_hits = 0;
  uint64_t remote_hits = 0;
  uint64_t misses = 0;
  uint64_t stored = 0;   ///< actions put after computing them
  uint64_t corrupt = 0;  ///< corrupt entries found (local or remote), each reported and replaced
};

class ContentStore {
 public:
  /// No I/O until the first lookup. Neither a dir nor a remote: every lookup misses and puts do nothing.
  explicit ContentStore(CacheSettings settings);
  ~ContentStore();
  ContentStore(const ContentStore&) = delete;
  ContentStore& operator=(const ContentStore&) = delete;

  bool enabled() const { return settings_.dir.has_value() || remote_ != nullptr; }
  const CacheSettings& settings() const { return settings_; }

  /// SHA-256 hex of "<stage>\n<inputs>" plus fleetpack's version and build-id: the key of an action.
  /// `inputs` must name every input hash and setting that can change the outputs (one per line is best).
  static std::string action_key(const std::string& stage, const std::string& inputs);

  /// The outputs stored under `key`, every blob verified; nullopt on a miss. Local first, then remote.
  /// Corrupt entries and a failing remote become warnings in `diags`, never errors.
  std::optional<Blobs> get(const std::string& key, Diagnostics& diags);
  /// Stores `outputs` under `key`, locally and remotely (blobs before the record, so a reader never finds
  /// a record whose blobs are missing). Failures to store are warnings: the build goes on.
  void put(const std::string& key, const Blobs& outputs, Diagnostics& diags);

  /// One-output convenience: the blob stored by put_blob under `key`.
  std::optional<Bytes> get_blob(const std::string& key, Diagnostics& diags);
  void put_blob(const std::string& key, const Bytes& bytes, Diagnostics& diags);
  /// get_blob, else compute() and put_blob its result (when it has one). For a stage in three lines:
  ///   auto key = ContentStore::action_key("wasm2js", "input=" + sha + "\nlevel=" + level);
  ///   auto js = store.memoize(key, diags, [&] { return run_wasm2js(...); });
  std::optional<Bytes> memoize(const std::string& key, Diagnostics& diags,
                               const std::function<std::optional<Bytes>()>& compute);

  const CacheCounters& counters() const { return counters_; }
  /// While off, hits, misses and puts leave counters() unchanged (corrupt entries still count): for
  /// entries a caller keeps outside the figures it reports (the build's compressed files).
  void set_counting(bool on) { counting_ = on; }
  /// Adds this run's counters to the store's running totals (<dir>/stats.json, under a lock).
  void record_counters();

 private:
  std::optional<Blobs> get_local(const std::string& key, Diagnostics& diags);
  std::optional<Blobs> get_remote(const std::string& key, Diagnostics& diags);
  using BlobHashes = std::map<std::string, std::string>;  ///< SHA-256 of each blob, by name
  bool put_local(const std::string& key, const Blobs& outputs, const BlobHashes& hashes,
                 const std::string& record, Diagnostics& diags);
  void put_remote(const std::string& key, const Blobs& outputs, const BlobHashes& hashes,
                  const std::string& record, Diagnostics& diags);
  /// Reports the remote's first failure (one warning per run) and stops using it.
  void remote_failed(const std::string& error, Diagnostics& diags);
  /// Reports the local store's first write failure and stops writing to it.
  void local_failed(const std::string& error, Diagnostics& diags);

  CacheSettings settings_;
  std::unique_ptr<RemoteCache> remote_;
  bool local_writable_ = true;
  CacheCounters counters_;
  bool counting_ = true;
  /// Local blobs already read and checked against their hash in this run, by SHA-256: the variants of a
  /// fleet share a few large blobs (the engine of a group, a fallback), and hashing each again for every
  /// variant cost most of a no-change rebuild.
  std::map<std::string, Bytes> verified_;
};

/// `fleetpack cache stats`: what the local store holds, and the totals of every run that recorded them.
struct StoreStats {
  fs::path dir;
  uint64_t actions = 0;  ///< ac/ entries
  uint64_t blobs = 0;    ///< cas/ entries
  uint64_t bytes = 0;    ///< of both
  CacheCounters totals;  ///< summed over runs (stats.json)
};
std::optional<StoreStats> store_stats(const fs::path& dir, Diagnostics& diags);

/// `fleetpack cache prune --max-size`: removes the least recently used entries (by modification time,
/// which every hit refreshes) until the store holds at most `max_bytes`; also stale temporary files.
struct PruneResult {
  uint64_t removed_entries = 0;
  uint64_t removed_bytes = 0;
  uint64_t kept_entries = 0;
  uint64_t kept_bytes = 0;
};
std::optional<PruneResult> prune_store(const fs::path& dir, uint64_t max_bytes, Diagnostics& diags);

/// The line a build prints about its use of the store: "cache: 2 reused (2 local, 0 remote), 0 computed".
std::string render_cache_line(const CacheCounters& c);
/// Text for `cache stats` and `cache prune`.
std::string render_store_stats(const StoreStats& s);
std::string render_prune_result(const PruneResult& r, uint64_t max_bytes);

}  // namespace fleetpack
