#include "core/delta.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "base/hash.h"
#include "base/zstd_patch.h"
#include "core/manifest.h"
#include "core/release_tree.h"
#include "core/release_verify.h"

namespace fleetpack {

namespace {

constexpr int kPatchLevel = 19;  // fixed: the same releases always give the same patches

/// A release read into memory: its tree, index and manifests.
struct LoadedRelease {
  ReleaseTree tree;
  ReleaseIndex index;
  std::map<std::string, Manifest> manifests;  // by profile
};

std::optional<LoadedRelease> load(const fs::path& dir, Diagnostics& diags) {
  auto tree = read_release_tree(dir, diags);
  if (!tree) return std::nullopt;
  LoadedRelease r{std::move(*tree), {}, {}};
  std::vector<std::string> problems;
  auto text = [&r](const std::string& rel) {
    const Bytes& b = r.tree.at(rel);
    return std::string(b.begin(), b.end());
  };
  auto index = r.tree.count("index.json") ? parse_index(text("index.json"), problems) : std::nullopt;
  if (!index) {
    diags.error(ErrorKind::InvalidInput, Location::file_only((dir / "index.json").string()),
                "not a readable fleetpack release index", "run `fleetpack verify` on the release");
    return std::nullopt;
  }
  r.index = std::move(*index);
  for (const auto& [id, p] : r.index.profiles) {
    auto m = r.tree.count(p.manifest.path) ? parse_manifest(text(p.manifest.path), problems) : std::nullopt;
    if (!m) {
      diags.error(ErrorKind::InvalidInput, Location::file_only((dir / p.manifest.path).string()),
                  "not a readable fleetpack manifest", "run `fleetpack verify` on the release");
      return std::nullopt;
    }
    r.manifests[id] = std::move(*m);
  }
  return r;
}

/// A file's uncompressed bytes from a verified release.
Bytes file_bytes(const LoadedRelease& r, const ManifestFile& f) {
  const Bytes& stored = r.tree.at(stored_path(f.sha256));
  if (f.encoding != "zstd") return stored;
  std::string error;
  return zstd_decompress_bounded(stored.data(), stored.size(), f.size, error).value_or(Bytes{});
}

Bytes as_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace

std::optional<DeltaResult> make_release_deltas(const DeltaOptions& o, Diagnostics& diags) {
  // Both releases must be intact: a patch against a damaged file would ship damage.
  for (const auto& dir : {o.old_release, o.new_release}) {
    size_t before = diags.error_count();
    verify_release({dir, std::nullopt, std::nullopt}, diags);
    if (diags.error_count() != before) return std::nullopt;
  }
  std::unique_ptr<MinisignSecretKey> key;
  if (o.sign_key && !(key = load_secret_key(*o.sign_key, diags))) return std::nullopt;
  auto old_r = load(o.old_release, diags);
  auto new_r = load(o.new_release, diags);
  if (!old_r || !new_r) return std::nullopt;
  const Location new_where = Location::file_only(o.new_release.string());
  if (old_r->index.app != new_r->index.app) {
    diags.error(ErrorKind::Usage, new_where,
                fmt::format("OLD is app '{}', NEW is app '{}'", old_r->index.app, new_r->index.app),
                "deltas are between two versions of one app");
    return std::nullopt;
  }
  if (old_r->index.version == new_r->index.version) {
    diags.error(ErrorKind::Usage, new_where,
                fmt::format("OLD and NEW are both version {}", new_r->index.version),
                "give the previous version's release as OLD");
    return std::nullopt;
  }
  if (new_r->tree.count("index.json.minisig") && !key) {
    diags.error(ErrorKind::Usage, new_where, "NEW is signed, and adding deltas changes its manifests",
                "pass --sign KEY (the key it was signed with) so the new manifests are signed too");
    return std::nullopt;
  }

  DeltaResult result{new_r->index.app, old_r->index.version, new_r->index.version, {}};
  std::map<std::pair<std::string, std::string>, Bytes> patches;  // (old sha, new sha) -> patch
  for (auto& [id, m] : new_r->manifests) {
    auto old_m = old_r->manifests.find(id);
    if (old_m == old_r->manifests.end()) continue;  // a new profile: nothing to patch against
    // Deltas from this OLD version are replaced; deltas from other versions stay.
    m.deltas.erase(
        std::remove_if(m.deltas.begin(), m.deltas.end(),
                       [&](const ManifestDelta& d) { return d.from_version == old_r->index.version; }),
        m.deltas.end());
    for (const auto& f : m.files) {
      auto of = std::find_if(old_m->second.files.begin(), old_m->second.files.end(),
                             [&](const ManifestFile& x) { return x.path == f.path; });
      if (of == old_m->second.files.end() || of->sha256 == f.sha256) continue;
      auto [it, fresh] = patches.try_emplace({of->sha256, f.sha256});
      if (fresh) {
        Bytes old_bytes = file_bytes(*old_r, *of);
        Bytes new_bytes = file_bytes(*new_r, f);
        it->second = zstd_make_patch(old_bytes, new_bytes, kPatchLevel);
        // Check the patch before anything is written: it must rebuild the new file exactly.
        std::string error;
        auto back = zstd_decompress_bounded(it->second.data(), it->second.size(), f.size, error, &old_bytes);
        if (it->second.empty() || !back || sha256_hex(back->data(), back->size()) != f.sha256) {
          diags.error(ErrorKind::Internal, new_where,
                      fmt::format("the patch for {} does not rebuild it", f.path),
                      "report this: NEW was not changed");
          return std::nullopt;
        }
      }
      const Bytes& patch = it->second;
      DeltaItem item{
          id,           f.path,
          f.size,       f.stored_size,
          patch.size(), static_cast<double>(patch.size()) < o.max_ratio * static_cast<double>(f.stored_size)};
      result.items.push_back(item);
      if (!item.kept) continue;
      const std::string patch_sha = sha256_hex(patch.data(), patch.size());
      m.deltas.push_back({f.path, old_r->index.version, of->sha256, f.sha256, patch_path(patch_sha),
                          patch_sha, patch.size()});
      new_r->tree[patch_path(patch_sha)] = patch;
    }
    std::sort(m.deltas.begin(), m.deltas.end(), [](const ManifestDelta& a, const ManifestDelta& b) {
      return std::tie(a.path, a.from_version, a.patch_sha256) <
             std::tie(b.path, b.from_version, b.patch_sha256);
    });
    const std::string rel = manifest_path(id);
    new_r->tree[rel] = as_bytes(render_manifest(m));
    const Bytes& mb = new_r->tree[rel];
    new_r->index.profiles[id].manifest = {rel, sha256_hex(mb.data(), mb.size()), mb.size()};
  }
  // Patches no manifest lists any more (replaced ones) leave the release.
  std::set<std::string> listed;
  for (const auto& [id, m] : new_r->manifests)
    for (const auto& d : m.deltas) listed.insert(d.patch);
  for (auto it = new_r->tree.begin(); it != new_r->tree.end();)
    it = it->first.rfind("deltas/", 0) == 0 && !listed.count(it->first) ? new_r->tree.erase(it)
                                                                        : std::next(it);
  new_r->tree["index.json"] = as_bytes(render_index(new_r->index));
  if (key) sign_release_tree(new_r->tree, *key, new_r->index.app, new_r->index.version);
  if (!publish_release_tree(new_r->tree, o.new_release, diags)) return std::nullopt;
  if (o.archive && !write_release_archive(new_r->tree, o.new_release, diags)) return std::nullopt;
  return result;
}

bool apply_patch_file(const fs::path& old_file, const fs::path& patch, const fs::path& out,
                      const std::optional<std::string>& expected_sha256, Diagnostics& diags) {
  auto old_bytes = read_file(old_file, diags);
  auto patch_bytes = read_file(patch, diags);
  if (!old_bytes || !patch_bytes) return false;
  auto size = zstd_frame_content_size(patch_bytes->data(), patch_bytes->size());
  if (!size || *size > (1ull << 30)) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(patch.string()),
                "not a fleetpack patch (a zstd frame that declares its size)",
                "give a deltas/<sha256>.zst file of a release");
    return false;
  }
  std::string error;
  auto bytes = zstd_decompress_bounded(patch_bytes->data(), patch_bytes->size(), *size, error, &*old_bytes);
  if (!bytes) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(patch.string()),
                fmt::format("does not apply to {}: {}", old_file.string(), error),
                "the patch was made against another file: check its from_sha256 in the manifest");
    return false;
  }
  if (expected_sha256 && sha256_hex(bytes->data(), bytes->size()) != *expected_sha256) {
    diags.error(ErrorKind::CheckFailed, Location::file_only(patch.string()),
                fmt::format("the patched file's sha256 is {}, not {}",
                            sha256_hex(bytes->data(), bytes->size()), *expected_sha256),
                "the old file or the patch is not the one the manifest names");
    return false;
  }
  return write_file_atomic(out, *bytes, diags);
}

std::string render_delta_result(const DeltaResult& r) {
  std::string out =
      fmt::format("{} {} -> {}: {} changed files\n", r.app, r.from_version, r.to_version, r.items.size());
  for (const auto& i : r.items)
    out += fmt::format("  {:<20} {:<24} {:>9} bytes ({:>8} stored)  patch {:>8} bytes  {}\n", i.profile,
                       i.path, i.size, i.stored_size, i.patch_size,
                       i.kept ? "kept" : "not kept: not smaller than half the stored file");
  return out;
}

}  // namespace fleetpack
