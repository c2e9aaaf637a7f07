#include "base/content_store.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/build_id.h"
#include "base/byte_size.h"
#include "base/hash.h"
#include "base/remote_cache.h"

namespace fleetpack {

namespace {

using nlohmann::json;

constexpr const char* kRecordSchema = "fleetpack.action/1";
constexpr uint64_t kMaxRecordBytes = 1 << 20;
constexpr const char* kOneBlob = "out";  ///< the output name put_blob uses
constexpr const char* kRepairHint =
    "nothing to do: fleetpack computed the result again and stored a good copy; if this repeats, check the "
    "disk or the server (`fleetpack cache prune --max-size 0` empties the local store)";

std::atomic<unsigned> g_temp_counter{0};

bool is_hex_key(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

/// The whole file, or nullopt when it does not exist or cannot be read (a miss either way).
std::optional<Bytes> read_if_exists(const fs::path& path, uint64_t max_bytes) {
  Diagnostics quiet;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  return read_file(path, quiet, max_bytes);
}

/// Writes `data` to a temporary name in the target's folder and renames it into place: a reader sees the
/// old entry, no entry, or the whole new one. No fsync: after a crash a torn blob fails its hash check and
/// a torn record fails to parse, and both are then reported and recomputed like any corrupt entry.
bool write_atomic(const fs::path& path, const void* data, size_t size, std::string& error) {
  fs::path tmp = path.parent_path() / fmt::format(".tmp-{}-{}-{}", path.filename().string(),
                                                  static_cast<long>(getpid()), g_temp_counter.fetch_add(1));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = fmt::format("cannot create {}: {}", tmp.string(), std::strerror(errno));
    return false;
  }
  const auto* p = static_cast<const uint8_t*>(data);
  size_t left = size;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno));
      ::close(fd);
      ::unlink(tmp.c_str());
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = fmt::format("cannot store {}: {}", path.string(), std::strerror(errno));
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

/// Marks an entry as just used, for prune's least-recently-used order.
void touch(const fs::path& path) { ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0); }

struct RecordEntry {
  std::string sha256;
  uint64_t size = 0;
};
using Record = std::map<std::string, RecordEntry>;

/// The SHA-256 of every blob, by name: computed once per put (a fleet puts 1 MB engines and 10 MB
/// fallbacks, and the record, the local store and the remote each need the hash).
std::map<std::string, std::string> hash_blobs(const Blobs& outputs) {
  std::map<std::string, std::string> out;
  for (const auto& [name, bytes] : outputs) out[name] = sha256_hex(bytes.data(), bytes.size());
  return out;
}

std::string render_record(const Blobs& outputs, const std::map<std::string, std::string>& hashes) {
  json j;
  j["schema"] = kRecordSchema;
  j["outputs"] = json::object();
  for (const auto& [name, bytes] : outputs)
    j["outputs"][name] = {{"sha256", hashes.at(name)}, {"size", bytes.size()}};
  return j.dump() + "\n";
}

/// The record's outputs, or nullopt when it is not a well-formed record.
std::optional<Record> parse_record(const Bytes& bytes) {
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("schema", "") != kRecordSchema || !j.contains("outputs") ||
      !j["outputs"].is_object())
    return std::nullopt;
  Record r;
  for (const auto& [name, e] : j["outputs"].items()) {
    if (!e.is_object() || !e.contains("sha256") || !e["sha256"].is_string() || !e.contains("size") ||
        !e["size"].is_number_unsigned())
      return std::nullopt;
    RecordEntry entry{e["sha256"].get<std::string>(), e["size"].get<uint64_t>()};
    if (!is_hex_key(entry.sha256)) return std::nullopt;
    r[name] = entry;
  }
  return r;
}

json counters_json(const CacheCounters& c) {
  return {{"local_hits", c.local_hits},
          {"remote_hits", c.remote_hits},
          {"misses", c.misses},
          {"stored", c.stored},
          {"corrupt", c.corrupt}};
}

CacheCounters counters_from(const json& j) {
  CacheCounters c;
  if (!j.is_object()) return c;
  auto get = [&j](const char* k) {
    return j.contains(k) && j[k].is_number_unsigned() ? j[k].get<uint64_t>() : 0;
  };
  c.local_hits = get("local_hits");
  c.remote_hits = get("remote_hits");
  c.misses = get("misses");
  c.stored = get("stored");
  c.corrupt = get("corrupt");
  return c;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

std::optional<fs::path> resolve_cache_dir(const std::optional<fs::path>& flag) {
  if (flag && !flag->empty()) return *flag;
  if (std::string v = env("FLEETPACK_CACHE"); !v.empty()) return fs::path(v);
  if (std::string v = env("XDG_CACHE_HOME"); !v.empty()) return fs::path(v) / "fleetpack";
  if (std::string v = env("HOME"); !v.empty()) return fs::path(v) / ".cache" / "fleetpack";
  return std::nullopt;
}

ContentStore::ContentStore(CacheSettings settings) : settings_(std::move(settings)) {
  if (!settings_.remote_url.empty())
    remote_ = std::make_unique<RemoteCache>(settings_.remote_url, settings_.remote_timeout);
}

ContentStore::~ContentStore() = default;

std::string ContentStore::action_key(const std::string& stage, const std::string& inputs) {
  return sha256_hex(fmt::format("{}\nfleetpack={}\nbuild-id={}\nstage={}\n{}", kRecordSchema,
                                FLEETPACK_VERSION, own_build_id(), stage, inputs));
}

std::optional<Blobs> ContentStore::get(const std::string& key, Diagnostics& diags) {
  if (!enabled() || !is_hex_key(key)) return std::nullopt;
  if (settings_.dir) {
    if (auto hit = get_local(key, diags)) {
      if (counting_) ++counters_.local_hits;
      return hit;
    }
  }
  if (remote_) {
    if (auto hit = get_remote(key, diags)) {
      if (counting_) ++counters_.remote_hits;
      return hit;
    }
  }
  if (counting_) ++counters_.misses;
  return std::nullopt;
}

std::optional<Blobs> ContentStore::get_local(const std::string& key, Diagnostics& diags) {
  const fs::path& dir = *settings_.dir;
  fs::path ac = dir / "ac" / key;
  auto record_bytes = read_if_exists(ac, kMaxRecordBytes);
  if (!record_bytes) return std::nullopt;
  auto corrupt = [&](const fs::path& path, const std::string& what) {
    ++counters_.corrupt;
    std::error_code ec;
    fs::remove(path, ec);
    diags.warning(Location::file_only(path.string()),
                  fmt::format("corrupt cache entry: {}; removed it", what), kRepairHint);
    return std::nullopt;
  };
  auto record = parse_record(*record_bytes);
  if (!record) return corrupt(ac, "not a fleetpack action record");
  // Every blob is checked, also after a bad one, so that all corrupt blobs of the entry are removed (and
  // then rewritten by the put that follows the recomputation).
  Blobs out;
  bool whole = true;
  for (const auto& [name, entry] : *record) {
    fs::path cas = dir / "cas" / entry.sha256;
    if (auto it = verified_.find(entry.sha256); it != verified_.end() && it->second.size() == entry.size) {
      out[name] = it->second;
      continue;
    }
    auto blob = read_if_exists(cas, std::max<uint64_t>(entry.size, 1));
    if (!blob) {
      // A blob pruned (or being pruned) from under its record: an ordinary miss.
      std::error_code ec;
      if (fs::exists(cas, ec))
        corrupt(cas, fmt::format("larger than the {} bytes its record says", entry.size));
      whole = false;
      continue;
    }
    std::string actual = sha256_hex(blob->data(), blob->size());
    if (actual != entry.sha256) {
      corrupt(cas, fmt::format("its content hashes to {}, not to its name", actual));
      whole = false;
      continue;
    }
    verified_[entry.sha256] = *blob;
    out[name] = std::move(*blob);
  }
  if (!whole) return std::nullopt;
  touch(ac);
  for (const auto& [name, entry] : *record) touch(dir / "cas" / entry.sha256);
  return out;
}

std::optional<Blobs> ContentStore::get_remote(const std::string& key, Diagnostics& diags) {
  using Status = RemoteCache::Response::Status;
  auto r = remote_->get("ac/" + key, kMaxRecordBytes);
  if (r.status == Status::Missing) return std::nullopt;
  if (r.status == Status::Failed) {
    remote_failed(r.error, diags);
    return std::nullopt;
  }
  auto corrupt = [&](const std::string& url, const std::string& what) {
    ++counters_.corrupt;
    diags.warning(Location::file_only(url), fmt::format("corrupt remote cache entry: {}; ignored it", what),
                  kRepairHint);
    return std::nullopt;
  };
  auto record = parse_record(r.body);
  if (!record) return corrupt(remote_->url("ac/" + key), "not a fleetpack action record");
  Blobs out;
  for (const auto& [name, entry] : *record) {
    std::string path = "cas/" + entry.sha256;
    auto b = remote_->get(path, std::max<uint64_t>(entry.size, 1));
    if (b.status == Status::Missing) return std::nullopt;
    if (b.status == Status::Failed) {
      remote_failed(b.error, diags);
      return std::nullopt;
    }
    std::string actual = sha256_hex(b.body.data(), b.body.size());
    if (actual != entry.sha256)
      return corrupt(remote_->url(path), fmt::format("its content hashes to {}, not to its name", actual));
    out[name] = std::move(b.body);
  }
  if (settings_.dir) put_local(key, out, hash_blobs(out), std::string(r.body.begin(), r.body.end()), diags);
  return out;
}

void ContentStore::put(const std::string& key, const Blobs& outputs, Diagnostics& diags) {
  if (!enabled() || !is_hex_key(key)) return;
  const auto hashes = hash_blobs(outputs);
  std::string record = render_record(outputs, hashes);
  bool stored = false;
  if (settings_.dir) stored = put_local(key, outputs, hashes, record, diags);
  if (remote_) {
    put_remote(key, outputs, hashes, record, diags);
    stored = stored || remote_ != nullptr;
  }
  if (stored && counting_) ++counters_.stored;
}

bool ContentStore::put_local(const std::string& key, const Blobs& outputs, const BlobHashes& hashes,
                             const std::string& record, Diagnostics& diags) {
  if (!local_writable_) return false;
  const fs::path& dir = *settings_.dir;
  std::error_code ec;
  fs::create_directories(dir / "cas", ec);
  fs::create_directories(dir / "ac", ec);
  std::string error;
  for (const auto& [name, bytes] : outputs) {
    fs::path cas = dir / "cas" / hashes.at(name);
    // Already there with the right size: another build stored it (a wrong copy is found when read).
    struct stat st;
    if (::stat(cas.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_size) == bytes.size()) {
      touch(cas);
      continue;
    }
    if (!write_atomic(cas, bytes.data(), bytes.size(), error)) {
      local_failed(error, diags);
      return false;
    }
  }
  if (!write_atomic(dir / "ac" / key, record.data(), record.size(), error)) {
    local_failed(error, diags);
    return false;
  }
  return true;
}

void ContentStore::put_remote(const std::string& key, const Blobs& outputs, const BlobHashes& hashes,
                              const std::string& record, Diagnostics& diags) {
  using Status = RemoteCache::Response::Status;
  for (const auto& [name, bytes] : outputs) {
    auto r = remote_->put("cas/" + hashes.at(name), bytes);
    if (r.status != Status::Found) return remote_failed(r.error, diags);
  }
  auto r = remote_->put("ac/" + key, Bytes(record.begin(), record.end()));
  if (r.status != Status::Found) remote_failed(r.error, diags);
}

void ContentStore::remote_failed(const std::string& error, Diagnostics& diags) {
  diags.warning(
      Location::file_only(settings_.remote_url),
      fmt::format("remote cache failed ({}); building without it for the rest of this run", error),
      "check --remote-cache and that the server is up and accepts GET and PUT of <url>/cas/<sha256> "
      "and <url>/ac/<key> (Bazel's HTTP cache protocol; docs/cache.md)");
  remote_.reset();
}

void ContentStore::local_failed(const std::string& error, Diagnostics& diags) {
  diags.warning(Location::file_only(settings_.dir->string()),
                fmt::format("cannot write to the cache ({}); results of this run are not stored", error),
                "make the folder writable, pass --cache DIR for another one, or --no-cache");
  local_writable_ = false;
}

std::optional<Bytes> ContentStore::get_blob(const std::string& key, Diagnostics& diags) {
  auto blobs = get(key, diags);
  if (!blobs) return std::nullopt;
  auto it = blobs->find(kOneBlob);
  if (it == blobs->end()) return std::nullopt;
  return std::move(it->second);
}

void ContentStore::put_blob(const std::string& key, const Bytes& bytes, Diagnostics& diags) {
  put(key, Blobs{{kOneBlob, bytes}}, diags);
}

std::optional<Bytes> ContentStore::memoize(const std::string& key, Diagnostics& diags,
                                           const std::function<std::optional<Bytes>()>& compute) {
  if (auto hit = get_blob(key, diags)) return hit;
  auto computed = compute();
  if (computed) put_blob(key, *computed, diags);
  return computed;
}

void ContentStore::record_counters() {
  if (!settings_.dir || !local_writable_) return;
  const fs::path& dir = *settings_.dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  int lock = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0) return;
  if (::flock(lock, LOCK_EX) == 0) {
    json j;
    if (auto b = read_if_exists(dir / "stats.json", kMaxRecordBytes))
      j = json::parse(b->begin(), b->end(), nullptr, false);
    CacheCounters t = counters_from(j);
    t.local_hits += counters_.local_hits;
    t.remote_hits += counters_.remote_hits;
    t.misses += counters_.misses;
    t.stored += counters_.stored;
    t.corrupt += counters_.corrupt;
    std::string text = counters_json(t).dump(2) + "\n";
    std::string error;
    write_atomic(dir / "stats.json", text.data(), text.size(), error);
  }
  ::close(lock);
}

namespace {

struct EntryFile {
  fs::path path;
  uint64_t bytes = 0;
  struct timespec mtime {};
  bool temporary = false;
};

/// Every file under ac/ and cas/ (temporary ones marked).
std::vector<EntryFile> list_entries(const fs::path& dir) {
  std::vector<EntryFile> out;
  for (const char* sub : {"ac", "cas"}) {
    std::error_code ec;
    for (fs::directory_iterator it(dir / sub, ec), end; !ec && it != end; it.increment(ec)) {
      struct stat st;
      if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      EntryFile e{it->path(), static_cast<uint64_t>(st.st_size), st.st_mtim,
                  it->path().filename().string().rfind(".tmp-", 0) == 0};
      out.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace

std::optional<StoreStats> store_stats(const fs::path& dir, Diagnostics& diags) {
  std::error_code ec;
  StoreStats s;
  s.dir = dir;
  if (!fs::exists(dir, ec)) return s;  // an empty store: nothing built with it yet
  if (!fs::is_directory(dir, ec)) {
    diags.error(ErrorKind::Usage, Location::file_only(dir.string()), "is not a folder",
                "pass --cache DIR with the folder of a fleetpack content store");
    return std::nullopt;
  }
  for (const auto& e : list_entries(dir)) {
    if (e.temporary) continue;
    (e.path.parent_path().filename() == "ac" ? s.actions : s.blobs) += 1;
    s.bytes += e.bytes;
  }
  if (auto b = read_if_exists(dir / "stats.json", kMaxRecordBytes))
    s.totals = counters_from(json::parse(b->begin(), b->end(), nullptr, false));
  return s;
}

std::optional<PruneResult> prune_store(const fs::path& dir, uint64_t max_bytes, Diagnostics& diags) {
  std::error_code ec;
  PruneResult r;
  if (!fs::exists(dir, ec)) return r;
  if (!fs::is_directory(dir, ec)) {
    diags.error(ErrorKind::Usage, Location::file_only(dir.string()), "is not a folder",
                "pass --cache DIR with the folder of a fleetpack content store");
    return std::nullopt;
  }
  auto entries = list_entries(dir);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  std::vector<EntryFile> live;
  for (auto& e : entries) {
    // A temporary file older than an hour belongs to a build that was killed while writing.
    if (e.temporary) {
      if (now.tv_sec - e.mtime.tv_sec > 3600 && fs::remove(e.path, ec)) {
        ++r.removed_entries;
        r.removed_bytes += e.bytes;
      }
      continue;
    }
    live.push_back(std::move(e));
  }
  // Oldest first; at equal times records before blobs (a record without its blobs is only a miss).
  std::sort(live.begin(), live.end(), [](const EntryFile& a, const EntryFile& b) {
    if (a.mtime.tv_sec != b.mtime.tv_sec) return a.mtime.tv_sec < b.mtime.tv_sec;
    if (a.mtime.tv_nsec != b.mtime.tv_nsec) return a.mtime.tv_nsec < b.mtime.tv_nsec;
    return a.path < b.path;
  });
  uint64_t total = 0;
  for (const auto& e : live) total += e.bytes;
  size_t i = 0;
  for (; i < live.size() && total > max_bytes; ++i) {
    if (!fs::remove(live[i].path, ec) && ec) {
      diags.error(ErrorKind::Internal, Location::file_only(live[i].path.string()),
                  fmt::format("cannot remove: {}", ec.message()), "check the store's permissions");
      return std::nullopt;
    }
    total -= live[i].bytes;
    ++r.removed_entries;
    r.removed_bytes += live[i].bytes;
  }
  r.kept_entries = live.size() - i;
  r.kept_bytes = total;
  return r;
}

std::string render_store_stats(const StoreStats& s) {
  const CacheCounters& t = s.totals;
  uint64_t lookups = t.local_hits + t.remote_hits + t.misses;
  std::string out = fmt::format("store:    {}\n", s.dir.string());
  out += fmt::format("entries:  {} actions, {} blobs\n", s.actions, s.blobs);
  out += fmt::format("size:     {}\n", format_byte_size(s.bytes));
  out += fmt::format(
      "lookups:  {} ({} local hits, {} remote hits, {} misses{})\n", lookups, t.local_hits, t.remote_hits,
      t.misses,
      lookups ? fmt::format("; hit rate {:.1f}%", 100.0 * static_cast<double>(t.local_hits + t.remote_hits) /
                                                      static_cast<double>(lookups))
              : "");
  out += fmt::format("stored:   {} results computed and stored\n", t.stored);
  out += fmt::format("corrupt:  {} entries found corrupt and replaced\n", t.corrupt);
  return out;
}

std::string render_cache_line(const CacheCounters& c) {
  std::string out = fmt::format("cache: {} reused ({} local, {} remote), {} computed",
                                c.local_hits + c.remote_hits, c.local_hits, c.remote_hits, c.misses);
  if (c.corrupt) out += fmt::format(", {} corrupt entries replaced", c.corrupt);
  return out + "\n";
}

std::string render_prune_result(const PruneResult& r, uint64_t max_bytes) {
  return fmt::format("removed {} entries ({}); kept {} entries ({}), limit {}\n", r.removed_entries,
                     format_byte_size(r.removed_bytes), r.kept_entries, format_byte_size(r.kept_bytes),
                     format_byte_size(max_bytes));
}

}  // namespace fleetpack
