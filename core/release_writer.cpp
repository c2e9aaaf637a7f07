#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "base/semver.h"
#include "base/zstd_codec.h"
#include "base/zstd_patch.h"
#include "core/build.h"
#include "core/manifest.h"
#include "core/release.h"
#include "core/release_tree.h"

namespace fleetpack {

namespace {

/// One distinct content of the release, stored once whatever profiles list it.
struct Stored {
  const Bytes* bytes = nullptr;
  int level = 1;  ///< the highest zstd level among the profiles that ship it
  Bytes data;     ///< as stored
  std::string encoding;
};

IndexRef ref_to(const ReleaseTree& tree, const std::string& rel) {
  const Bytes& b = tree.at(rel);
  return {rel, sha256_hex(b.data(), b.size()), b.size()};
}

}  // namespace

std::string render_release_report(const BuildResult& result) {
  BuildResult r = result;
  r.published = true;
  r.release_dir = fs::path(r.app) / r.version;
  r.engine = fs::path(r.engine).filename().string();
  // Counters of a content store describe this run (cold or warm cache), not the release: left out so a
  // rebuild with a warm cache stays byte-identical.
  auto j = nlohmann::ordered_json::parse(render_build_json(r));
  j.erase("cache");
  return j.dump(2) + "\n";
}

bool write_release(const ReleaseInput& in, const fs::path& release_dir, Diagnostics& diags) {
  const Location here = Location::file_only(release_dir.string());
  if (!is_semver(in.version)) {
    diags.error(ErrorKind::Usage, here, fmt::format("version '{}' is not semver", in.version),
                "write MAJOR.MINOR.PATCH, e.g. 1.4.0 or 1.4.0-rc.1+build.7");
    return false;
  }
  auto built_at = release_built_at(diags);
  std::unique_ptr<MinisignSecretKey> key;
  if (in.sign_key && !(key = load_secret_key(*in.sign_key, diags))) return false;
  if (diags.has_errors()) return false;

  // Content addressing: every distinct file once, at the highest level any profile shipping it asks for.
  std::map<std::string, Stored> stored;  // by sha256
  for (const auto& b : in.bundles) {
    if (!is_safe_file_name(b.profile->id)) {
      diags.error(ErrorKind::Usage, Location::file_only(b.profile->file),
                  fmt::format("profile id '{}' cannot name a manifest file", b.profile->id),
                  "use letters, digits, '-', '_' and '.' in profile ids");
      return false;
    }
    for (const auto& f : b.output->files) {
      Stored& s = stored[sha256_of(f)];
      s.bytes = &f.bytes;
      s.level = std::max(s.level, b.profile->zstd_level);
    }
  }
  ReleaseTree tree;
  for (auto& [sha, s] : stored) {
    Bytes z = in.compress ? in.compress(sha, *s.bytes, s.level)
                          : zstd_compress(s.bytes->data(), s.bytes->size(), s.level);
    if (!z.empty() && z.size() < s.bytes->size()) {
      // Check the stored form before anything is published: it must give back exactly the hashed bytes.
      std::string error;
      auto back = zstd_decompress_bounded(z.data(), z.size(), s.bytes->size(), error);
      if (!back || sha256_hex(back->data(), back->size()) != sha) {
        diags.error(
            ErrorKind::Internal, Location::file_only(stored_path(sha)),
            "zstd round trip does not give back the file's bytes" + (error.empty() ? "" : ": " + error),
            "report this: the release was not written");
        return false;
      }
      s.data = std::move(z);
      s.encoding = "zstd";
    } else {
      s.data = *s.bytes;  // incompressible: stored as is
      s.encoding = "identity";
    }
    tree[stored_path(sha)] = s.data;
  }

  ReleaseIndex index;
  index.app = in.app;
  index.version = in.version;
  index.built_at = built_at;
  for (const auto& b : in.bundles) {
    Manifest m;
    m.app = in.app;
    m.version = in.version;
    m.profile = b.profile->id;
    m.variant = b.variant;
    m.target = b.target;
    m.entry = b.output->entry;
    if (!b.profile->native_min_version.empty()) m.native_min_version = b.profile->native_min_version;
    m.channel = in.channel;
    m.rollout_percent = in.rollout_percent;
    m.built_at = built_at;
    for (const auto& f : b.output->files) {
      const std::string sha = sha256_of(f);
      const Stored& s = stored[sha];
      m.files.push_back({f.logical_path, sha, f.bytes.size(), s.data.size(), s.encoding});
    }
    std::sort(m.files.begin(), m.files.end(),
              [](const ManifestFile& a, const ManifestFile& c) { return a.path < c.path; });
    std::string text = render_manifest(m);
    const std::string rel = manifest_path(m.profile);
    tree[rel] = Bytes(text.begin(), text.end());
    index.profiles[m.profile] = {ref_to(tree, rel), b.variant};
  }
  // Devices whose profile this release holds (--profile may have built only some of the map's).
  if (in.devices)
    for (const auto& e : in.devices->entries)
      if (index.profiles.count(e.profile)) index.devices[e.model] = e.profile;
  for (const auto& [sha, map] : in.symbol_maps) {
    tree[symbols_path(sha)] = Bytes(map.begin(), map.end());
    index.symbols[sha] = ref_to(tree, symbols_path(sha));
  }
  if (!in.report_json.empty()) {
    tree["report.json"] = Bytes(in.report_json.begin(), in.report_json.end());
    index.report = ref_to(tree, "report.json");
  }
  std::string index_text = render_index(index);
  tree["index.json"] = Bytes(index_text.begin(), index_text.end());
  if (key) sign_release_tree(tree, *key, in.app, in.version);

  if (!publish_release_tree(tree, release_dir, diags)) return false;
  return !in.archive || write_release_archive(tree, release_dir, diags);
}

}  // namespace fleetpack
