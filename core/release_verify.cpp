#include "core/release_verify.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "base/hash.h"
#include "base/minisign.h"
#include "base/semver.h"
#include "base/zstd_patch.h"
#include "core/manifest.h"
#include "core/release_tree.h"

namespace fleetpack {

namespace {

constexpr uint64_t kMaxFile = 1ull << 30;

/// The state of one verification: the release's files as found, and every problem, named by file.
class Verifier {
 public:
  Verifier(const VerifyOptions& o, Diagnostics& diags) : o_(o), diags_(diags) {}

  void problem(const std::string& rel, const std::string& message, const std::string& hint = {}) {
    diags_.error(
        ErrorKind::CheckFailed, Location::file_only((o_.release / rel).string()), message,
        hint.empty() ? "rebuild the release, or fetch it again: it is not what fleetpack wrote" : hint);
  }

  /// Lists the tree without following links; symlinks and special files are problems.
  bool scan() {
    std::error_code ec;
    auto st = fs::symlink_status(o_.release, ec);
    if (ec || !fs::is_directory(st)) {
      diags_.error(ErrorKind::InvalidInput, Location::file_only(o_.release.string()),
                   fs::is_symlink(st) ? "the release folder is a symbolic link" : "not a release folder",
                   "give <out>/<app>/<version>, the folder holding index.json");
      return false;
    }
    for (auto it = fs::recursive_directory_iterator(o_.release, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string rel = it->path().lexically_relative(o_.release).generic_string();
      auto s = it->symlink_status();
      if (fs::is_symlink(s))
        problem(rel, "is a symbolic link; a release holds only regular files",
                "a link can point outside the release: remove it");
      else if (fs::is_regular_file(s))
        present_.insert(rel);
      else if (!fs::is_directory(s))
        problem(rel, "is not a regular file");
    }
    if (ec) {
      diags_.error(ErrorKind::InvalidInput, Location::file_only(o_.release.string()),
                   fmt::format("cannot list: {}", ec.message()), "check the folder's permissions");
      return false;
    }
    return true;
  }

  /// The bytes of a listed file, or nullopt after reporting it missing.
  std::optional<Bytes> read(const std::string& rel, const std::string& listed_by) {
    listed_.insert(rel);
    if (!present_.count(rel)) {
      problem(rel, fmt::format("is missing (listed by {})", listed_by));
      return std::nullopt;
    }
    Diagnostics quiet;
    auto b = read_file(o_.release / rel, quiet, kMaxFile);
    if (!b) problem(rel, quiet.all().empty() ? "cannot read" : quiet.all().front().message);
    return b;
  }

  /// Reads `ref` and checks its size and hash.
  std::optional<Bytes> read_ref(const IndexRef& ref, const std::string& listed_by) {
    if (!is_safe_relative_path(ref.path)) {
      problem(listed_by, fmt::format("path '{}' escapes the release folder", ref.path),
              "paths in a release are relative and stay inside it");
      return std::nullopt;
    }
    auto b = read(ref.path, listed_by);
    if (!b) return std::nullopt;
    if (b->size() != ref.size)
      problem(ref.path, fmt::format("is {} bytes, {} says {}", b->size(), listed_by, ref.size));
    else if (sha256_hex(b->data(), b->size()) != ref.sha256)
      problem(ref.path, fmt::format("sha256 does not match {} ({})", listed_by, ref.sha256));
    else
      return b;
    return std::nullopt;
  }

  void check_signature(const std::string& rel, const Bytes& data, const std::string& app,
                       const std::string& version) {
    const std::string sig = rel + ".minisig";
    if (present_.count(sig)) {
      listed_.insert(sig);
      summary.signed_release = true;
    }
    if (!key_) return;
    auto text = read(sig, "--pubkey (every index and manifest must be signed)");
    if (!text) return;
    std::string s(text->begin(), text->end());
    if (auto bad = minisign_verify(*key_, data.data(), data.size(), s)) {
      problem(sig, fmt::format("signature of {} is not valid: {}", rel, *bad),
              "the file or its signature was changed, or it was signed with another key");
      return;
    }
    // The comments are fleetpack's own: a change in the unsigned first line must show too.
    const std::string want_untrusted = "untrusted comment: " + signature_untrusted_comment() + "\n";
    const std::string want_trusted =
        "\ntrusted comment: " + signature_trusted_comment(app, version, rel) + "\n";
    if (s.rfind(want_untrusted, 0) != 0)
      problem(sig, "the untrusted comment is not the one fleetpack writes", "re-sign the release");
    else if (s.find(want_trusted) == std::string::npos)
      problem(sig, fmt::format("the trusted comment does not name {} of {} {}", rel, app, version),
              "the signature belongs to another file or release");
    else
      ++summary.signatures;
  }

  /// Checks a stored file once per hash: size as stored, decoding, size and sha256 of the bytes.
  void check_stored(const ManifestFile& f, const std::string& manifest) {
    const std::string rel = stored_path(f.sha256);
    auto [it, first] = seen_.try_emplace(f.sha256, f);
    if (!first) {
      if (it->second.size != f.size || it->second.stored_size != f.stored_size ||
          it->second.encoding != f.encoding)
        problem(manifest,
                fmt::format("lists {} with a size or encoding other manifests do not give it", rel));
      return;
    }
    ++summary.files;
    auto b = read(rel, manifest);
    if (!b) return;
    if (b->size() != f.stored_size) {
      problem(rel, fmt::format("is {} bytes, {} says {} stored bytes", b->size(), manifest, f.stored_size));
      return;
    }
    Bytes plain;
    if (f.encoding == "zstd") {
      std::string error;
      auto d = zstd_decompress_bounded(b->data(), b->size(), f.size, error);
      if (!d) {
        problem(rel, fmt::format("does not decompress ({}): {}", f.path, error));
        return;
      }
      plain = std::move(*d);
    } else {
      plain = std::move(*b);
    }
    if (plain.size() != f.size)
      problem(rel, fmt::format("holds {} bytes, {} says {} for {}", plain.size(), manifest, f.size, f.path));
    else if (sha256_hex(plain.data(), plain.size()) != f.sha256)
      problem(rel, fmt::format("content does not match its sha256 ({} in {})", f.path, manifest));
  }

  void check_manifest(const std::string& id, const IndexProfile& entry, const ReleaseIndex& index) {
    const std::string rel = manifest_path(id);
    if (!is_safe_file_name(id)) {
      problem("index.json", fmt::format("profile id '{}' is not a safe file name", id));
      return;
    }
    if (entry.manifest.path != rel) {
      problem("index.json",
              fmt::format("profile '{}' points at '{}', expected '{}'", id, entry.manifest.path, rel),
              "manifests live at profiles/<profile>.json");
      return;
    }
    auto raw = read(rel, "index.json");
    if (!raw) return;
    check_signature(rel, *raw, index.app, index.version);
    if (raw->size() != entry.manifest.size)
      problem(rel, fmt::format("is {} bytes, index.json says {}", raw->size(), entry.manifest.size));
    else if (sha256_hex(raw->data(), raw->size()) != entry.manifest.sha256)
      problem(rel, "sha256 does not match index.json");
    std::vector<std::string> problems;
    auto m = parse_manifest(std::string(raw->begin(), raw->end()), problems);
    for (const auto& p : problems) problem(rel, p, "see docs/schemas/manifest.schema.json");
    if (!m) return;
    ++summary.profiles;
    if (m->app != index.app || m->version != index.version || m->profile != id || m->variant != entry.variant)
      problem(rel, "app, version, profile or variant differ from index.json");
    std::set<std::string> paths;
    std::map<std::string, const ManifestFile*> by_path;
    for (const auto& f : m->files) {
      if (!is_safe_relative_path(f.path)) {
        problem(rel, fmt::format("file path '{}' escapes the bundle", f.path),
                "logical paths are relative, '/'-separated, without '..'");
        continue;
      }
      if (!paths.insert(f.path).second) problem(rel, fmt::format("lists '{}' twice", f.path));
      by_path[f.path] = &f;
      if (f.encoding == "identity" && f.size != f.stored_size)
        problem(rel, fmt::format("'{}' is stored as is but its sizes differ", f.path));
      check_stored(f, rel);
    }
    if (!by_path.count(m->entry)) problem(rel, fmt::format("entry '{}' is not one of its files", m->entry));
    for (const auto& d : m->deltas) check_delta(d, rel, by_path);
  }

  void check_delta(const ManifestDelta& d, const std::string& manifest,
                   const std::map<std::string, const ManifestFile*>& by_path) {
    ++summary.deltas;
    auto target = by_path.find(d.path);
    if (target == by_path.end() || target->second->sha256 != d.sha256) {
      problem(manifest, fmt::format("delta for '{}' does not produce a file of this manifest", d.path));
      return;
    }
    if (d.patch != patch_path(d.patch_sha256)) {
      problem(manifest, fmt::format("delta patch path '{}' is not {}", d.patch, patch_path(d.patch_sha256)));
      return;
    }
    auto patch = read_ref({d.patch, d.patch_sha256, d.patch_size}, manifest);
    if (!patch) return;
    auto declared = zstd_frame_content_size(patch->data(), patch->size());
    if (!declared || *declared != target->second->size) {
      problem(d.patch, fmt::format("is not a zstd patch producing {} bytes", target->second->size));
      return;
    }
    if (!o_.previous || !previous_index_ || d.from_version != previous_index_->version) return;
    auto old = previous_file(d.from_sha256);
    if (!old) {
      problem(manifest, fmt::format("delta for '{}' starts from {}, which {} does not hold", d.path,
                                    d.from_sha256, o_.previous->string()));
      return;
    }
    std::string error;
    auto out = zstd_decompress_bounded(patch->data(), patch->size(), target->second->size, error, &*old);
    if (!out)
      problem(d.patch, fmt::format("does not apply to {}'s {}: {}", d.from_version, d.path, error));
    else if (sha256_hex(out->data(), out->size()) != d.sha256)
      problem(d.patch,
              fmt::format("applied to {}'s {}, does not give the listed sha256", d.from_version, d.path));
    else
      ++summary.deltas_applied;
  }

  /// Loads the previous release's index and which encoding each of its files has.
  void load_previous() {
    if (!o_.previous) return;
    Diagnostics quiet;
    auto raw = read_file(*o_.previous / "index.json", quiet, kMaxFile);
    std::vector<std::string> problems;
    if (raw) previous_index_ = parse_index(std::string(raw->begin(), raw->end()), problems);
    if (!previous_index_) {
      diags_.error(ErrorKind::InvalidInput, Location::file_only((*o_.previous / "index.json").string()),
                   "not a fleetpack release index",
                   "give --previous the folder of the release the deltas start from");
      return;
    }
    for (const auto& [id, p] : previous_index_->profiles) {
      auto mraw = read_file(*o_.previous / manifest_path(id), quiet, kMaxFile);
      if (!mraw) continue;
      problems.clear();
      if (auto m = parse_manifest(std::string(mraw->begin(), mraw->end()), problems))
        for (const auto& f : m->files) previous_files_[f.sha256] = f;
    }
  }

  std::optional<Bytes> previous_file(const std::string& sha) {
    auto it = previous_files_.find(sha);
    if (it == previous_files_.end() || !is_sha256_hex(sha)) return std::nullopt;
    Diagnostics quiet;
    auto b = read_file(*o_.previous / stored_path(sha), quiet, kMaxFile);
    if (!b) return std::nullopt;
    if (it->second.encoding == "zstd") {
      std::string error;
      b = zstd_decompress_bounded(b->data(), b->size(), it->second.size, error);
    }
    if (!b || sha256_hex(b->data(), b->size()) != sha) return std::nullopt;
    return b;
  }

  void run() {
    if (o_.pubkey) {
      auto text = read_file(*o_.pubkey, diags_, 4096);
      if (!text) return;
      key_ = minisign_parse_public_key(o_.pubkey->string(), std::string(text->begin(), text->end()), diags_);
      if (!key_) return;
      summary.key_given = true;
    }
    if (!scan()) return;
    load_previous();
    if (!present_.count("index.json")) {
      problem("index.json", "is missing: not a fleetpack release", "give <out>/<app>/<version>");
      return;
    }
    auto raw = read("index.json", "the release layout");
    if (!raw) return;
    std::vector<std::string> problems;
    auto index = parse_index(std::string(raw->begin(), raw->end()), problems);
    for (const auto& p : problems) problem("index.json", p, "see docs/schemas/index.schema.json");
    if (!index) {
      // Still check the signature with what the index must be for: its app and version are unknown.
      if (key_) check_signature("index.json", *raw, "?", "?");
      return;
    }
    summary.app = index->app;
    summary.version = index->version;
    check_signature("index.json", *raw, index->app, index->version);
    if (!is_semver(index->version))
      problem("index.json", fmt::format("version '{}' is not semver", index->version));
    for (const auto& [id, entry] : index->profiles) check_manifest(id, entry, *index);
    for (const auto& [model, profile] : index->devices)
      if (!index->profiles.count(profile))
        problem("index.json", fmt::format("device '{}' maps to profile '{}', which the release does not hold",
                                          model, profile));
    for (const auto& [sha, ref] : index->symbols) {
      if (!is_sha256_hex(sha) || ref.path != symbols_path(sha))
        problem("index.json", fmt::format("symbol map '{}' is not at symbols/<engine sha256>.map", ref.path));
      else
        read_ref(ref, "index.json");
    }
    if (index->report) {
      if (index->report->path != "report.json")
        problem("index.json", fmt::format("report '{}' is not report.json", index->report->path));
      else
        read_ref(*index->report, "index.json");
    }
    for (const auto& rel : present_)
      if (!listed_.count(rel))
        problem(rel, "is not listed by the index or any manifest",
                "a release holds exactly what its index and manifests list: remove the file");
  }

  VerifySummary summary;

 private:
  const VerifyOptions& o_;
  Diagnostics& diags_;
  std::optional<MinisignPublicKey> key_;
  std::set<std::string> present_, listed_;
  std::map<std::string, ManifestFile> seen_;  // stored files checked, by sha256
  std::optional<ReleaseIndex> previous_index_;
  std::map<std::string, ManifestFile> previous_files_;
};

}  // namespace

VerifySummary verify_release(const VerifyOptions& options, Diagnostics& diags) {
  VerifyOptions o = options;
  if (!o.release.has_filename()) o.release = o.release.parent_path();  // "dist/demo/1.0.0/"
  Verifier v(o, diags);
  v.run();
  return v.summary;
}

std::string render_verify_summary(const VerifySummary& s, bool ok) {
  std::string sig = s.signatures       ? fmt::format("{} signatures valid", s.signatures)
                    : s.signed_release ? "signed (not checked: pass --pubkey KEY)"
                                       : "not signed";
  std::string deltas = s.deltas ? fmt::format(", {} deltas ({} applied)", s.deltas, s.deltas_applied) : "";
  return fmt::format("release {} {}: {} profiles, {} stored files{}, {}: {}\n", s.app.empty() ? "?" : s.app,
                     s.version.empty() ? "?" : s.version, s.profiles, s.files, deltas, sig,
                     ok ? "ok" : "FAILED");
}

}  // namespace fleetpack
