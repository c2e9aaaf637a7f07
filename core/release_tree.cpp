#include "core/release_tree.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

#include "base/tar_writer.h"
#include "base/zstd_codec.h"

namespace fleetpack {

namespace {

/// Creates `path` with exactly `data` and mode 0644 (fchmod: the umask must not matter), fsynced.
bool write_exact(const fs::path& path, const Bytes& data, Diagnostics& diags) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  bool ok = fd >= 0 && ::fchmod(fd, 0644) == 0 && write_all(fd, data.data(), data.size());
  ok = ok && ::fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  if (!ok)
    diags.error(ErrorKind::Internal, Location::file_only(path.string()),
                fmt::format("cannot write: {}", std::strerror(saved)),
                "check free disk space and permissions");
  return ok;
}

bool make_dir(const fs::path& path, Diagnostics& diags) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    diags.error(ErrorKind::Internal, Location::file_only(path.string()),
                fmt::format("cannot create folder: {}", std::strerror(errno)), "check permissions");
    return false;
  }
  ::chmod(path.c_str(), 0755);
  return true;
}

/// The folders of a tree's paths ("a", "a/b" for "a/b/c"), sorted.
std::set<std::string> folders_of(const ReleaseTree& tree) {
  std::set<std::string> dirs;
  for (const auto& [rel, bytes] : tree)
    for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1))
      dirs.insert(rel.substr(0, slash));
  return dirs;
}

/// An flock on the app folder, released when destroyed.
class FolderLock {
 public:
  explicit FolderLock(const fs::path& dir) {
    fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace

bool publish_release_tree(const ReleaseTree& tree, const fs::path& release_dir, Diagnostics& diags) {
  std::error_code ec;
  fs::path parent = release_dir.has_parent_path() ? release_dir.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  FolderLock lock(parent);
  StagingDir::remove_abandoned(release_dir);
  auto staging = StagingDir::create(release_dir, diags);
  if (!staging) return false;
  for (const auto& dir : folders_of(tree))
    if (!make_dir(staging->path() / dir, diags)) return false;
  for (const auto& [rel, bytes] : tree)
    if (!write_exact(staging->path() / rel, bytes, diags)) return false;
  // The folder entries must be durable before the rename makes them visible.
  for (const auto& dir : folders_of(tree)) {
    int fd = ::open((staging->path() / dir).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) ::fsync(fd), ::close(fd);
  }
  return staging->publish(diags);
}

bool write_release_archive(const ReleaseTree& tree, const fs::path& release_dir, Diagnostics& diags) {
  const std::string top = release_dir.filename().string();
  std::vector<TarEntry> entries;
  entries.push_back({top, true, 0755, {}});
  // Folders before their files: a sorted list of every entry path gives that order.
  std::map<std::string, const Bytes*> all;
  for (const auto& dir : folders_of(tree)) all[dir] = nullptr;
  for (const auto& [rel, bytes] : tree) all[rel] = &bytes;
  for (const auto& [rel, bytes] : all)
    entries.push_back({top + "/" + rel, bytes == nullptr, bytes ? 0644u : 0755u, bytes ? *bytes : Bytes{}});
  std::string error;
  auto tar = tar_build(entries, source_date_epoch_or_zero(), error);
  fs::path archive = release_dir;
  archive += ".tar.zst";
  if (!tar) {
    diags.error(ErrorKind::Usage, Location::file_only(archive.string()), error,
                "use a shorter version string, or build without --archive");
    return false;
  }
  StagingDir::remove_abandoned(archive);
  return write_file_published(archive, zstd_compress(tar->data(), tar->size(), 19), diags);
}

std::optional<ReleaseTree> read_release_tree(const fs::path& dir, Diagnostics& diags) {
  ReleaseTree tree;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(dir.string()), "not a release folder",
                "give <out>/<app>/<version>, the folder holding index.json");
    return std::nullopt;
  }
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file() || it->is_symlink()) continue;
    auto bytes = read_file(it->path(), diags);
    if (!bytes) return std::nullopt;
    tree[it->path().lexically_relative(dir).generic_string()] = std::move(*bytes);
  }
  if (ec) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(dir.string()),
                fmt::format("cannot list: {}", ec.message()), "check the folder's permissions");
    return std::nullopt;
  }
  return tree;
}

std::unique_ptr<MinisignSecretKey> load_secret_key(const fs::path& file, Diagnostics& diags) {
  auto bytes = read_file(file, diags, 4096);
  if (!bytes) return nullptr;
  std::string text(bytes->begin(), bytes->end());
  sodium_memzero(bytes->data(), bytes->size());
  auto key = std::make_unique<MinisignSecretKey>();
  bool ok = minisign_parse_secret_key(file.string(), text, *key, diags);
  sodium_memzero(text.data(), text.size());
  return ok ? std::move(key) : nullptr;
}

namespace {
/// Creates `path` with `text` and `mode`, failing if it exists: written under a temporary name, then
/// hard-linked into place (link() never replaces), so a reader never sees half a key.
bool write_new_file(const fs::path& path, const std::string& text, mode_t mode, Diagnostics& diags) {
  fs::path tmp = path;
  tmp += fmt::format(".tmp-{}", static_cast<long>(::getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  bool ok = fd >= 0 && ::fchmod(fd, mode) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0) ::close(fd);
  if (ok && ::link(tmp.c_str(), path.c_str()) != 0) ok = false, saved = errno;
  ::unlink(tmp.c_str());
  if (!ok)
    diags.error(saved == EEXIST ? ErrorKind::Usage : ErrorKind::Internal, Location::file_only(path.string()),
                saved == EEXIST ? "already exists; fleetpack never replaces a key"
                                : fmt::format("cannot write: {}", std::strerror(saved)),
                saved == EEXIST ? "choose another --out PREFIX, or remove the old key pair yourself"
                                : "check that the folder exists and is writable");
  return ok;
}
}  // namespace

std::optional<std::string> generate_key_files(const fs::path& prefix, Diagnostics& diags) {
  fs::path sec = prefix, pub = prefix;
  sec += ".key";
  pub += ".pub";
  for (const auto& p : {sec, pub}) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(p, ec))) {
      diags.error(ErrorKind::Usage, Location::file_only(p.string()),
                  "already exists; fleetpack never replaces a key",
                  "choose another --out PREFIX, or remove the old key pair yourself");
      return std::nullopt;
    }
  }
  MinisignKeyFiles k = minisign_generate();
  bool ok = !k.secret_text.empty() && write_new_file(sec, k.secret_text, 0600, diags);
  sodium_memzero(k.secret_text.data(), k.secret_text.size());
  if (!ok) return std::nullopt;
  if (!write_new_file(pub, k.public_text, 0644, diags)) {
    ::unlink(sec.c_str());  // half a pair is no use
    return std::nullopt;
  }
  return k.key_id_hex;
}

std::string signature_untrusted_comment() { return "signature from fleetpack secret key"; }

std::string signature_trusted_comment(const std::string& app, const std::string& version,
                                      const std::string& rel_path) {
  return fmt::format("fleetpack release {} {} file:{}", app, version, rel_path);
}

void sign_release_tree(ReleaseTree& tree, const MinisignSecretKey& key, const std::string& app,
                       const std::string& version) {
  std::vector<std::string> signed_files;
  for (const auto& [rel, bytes] : tree)
    if (rel == "index.json" ||
        (rel.rfind("profiles/", 0) == 0 && rel.size() > 5 && rel.compare(rel.size() - 5, 5, ".json") == 0))
      signed_files.push_back(rel);
  for (const auto& rel : signed_files) {
    const Bytes& b = tree[rel];
    std::string sig = minisign_sign(key, b.data(), b.size(), signature_untrusted_comment(),
                                    signature_trusted_comment(app, version, rel));
    tree[rel + ".minisig"] = Bytes(sig.begin(), sig.end());
  }
}

std::optional<std::string> release_built_at(Diagnostics& diags) {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long t = std::strtoll(env, &end, 10);
  if (*end || errno || t < 0) {
    diags.error(ErrorKind::Usage, Location{},
                fmt::format("SOURCE_DATE_EPOCH '{}' is not a number of seconds", env),
                "set it to a Unix time, e.g. $(git log -1 --format=%ct), or unset it");
    return std::nullopt;
  }
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf);
}

uint64_t source_date_epoch_or_zero() {
  const char* env = std::getenv("SOURCE_DATE_EPOCH");
  if (!env || !*env) return 0;
  char* end = nullptr;
  unsigned long long t = std::strtoull(env, &end, 10);
  return *end ? 0 : t;
}

}  // namespace fleetpack
