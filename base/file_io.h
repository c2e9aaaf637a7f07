// File I/O that never leaves a half-written file behind: every write goes to a temporary name beside its
// target and is renamed into place; whole directories are staged and swapped in the same way.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"

namespace fleetpack {

using Bytes = std::vector<uint8_t>;
namespace fs = std::filesystem;

/// Reads a whole file. On failure adds an InvalidInput error naming the file and returns nullopt.
/// Files larger than max_bytes are refused before they are read (hostile inputs must not exhaust memory).
std::optional<Bytes> read_file(const fs::path& path, Diagnostics& diags, uint64_t max_bytes = 1ull << 30);

/// Writes all `size` bytes to `fd`, retrying short writes and EINTR; false (errno set) on failure.
bool write_all(int fd, const void* data, size_t size);

/// Writes data to path atomically (temp file in the same directory, fsync, rename). Creates parent
/// directories. On failure adds an Internal error and leaves no temporary file.
bool write_file_atomic(const fs::path& path, const void* data, size_t size, Diagnostics& diags);
inline bool write_file_atomic(const fs::path& path, const Bytes& b, Diagnostics& d) {
  return write_file_atomic(path, b.data(), b.size(), d);
}
inline bool write_file_atomic(const fs::path& path, const std::string& s, Diagnostics& d) {
  return write_file_atomic(path, s.data(), s.size(), d);
}

/// Like write_file_atomic, for published artifacts (a release archive): the temporary name is hidden
/// (".<name>.tmp-<pid>-<n>") and locked while written, so remove_abandoned() can clean it after a kill, and
/// the file gets mode 0644 whatever the umask.
bool write_file_published(const fs::path& path, const Bytes& data, Diagnostics& diags);

/// A directory under construction beside its final place. Destroying it without publish() removes it, so a
/// failed build leaves nothing visible. The process holds an flock on it while it lives: a staging folder
/// nobody holds belongs to a killed process.
class StagingDir {
 public:
  /// Creates "<parent of target>/.<name of target>.tmp-<pid>-<n>" with mode 0755 whatever the umask.
  static std::optional<StagingDir> create(const fs::path& target, Diagnostics& diags);
  /// Removes the hidden staging folders and temporary files of `target` (".<name>.tmp-*") that no live
  /// process holds: what a killed build left behind. Returns how many it removed.
  static size_t remove_abandoned(const fs::path& target);
  StagingDir(StagingDir&&) noexcept;
  StagingDir& operator=(StagingDir&&) = delete;
  ~StagingDir();

  const fs::path& path() const { return path_; }
  /// Moves the staged directory into place. An existing target is swapped out atomically
  /// (renameat2 RENAME_EXCHANGE) and then removed, so readers always see a complete old or new tree.
  bool publish(Diagnostics& diags);

 private:
  static std::optional<StagingDir> create_locked(const fs::path& parent, const fs::path& target,
                                                 Diagnostics& diags);
  StagingDir(fs::path path, fs::path target, int lock_fd)
      : path_(std::move(path)), target_(std::move(target)), lock_fd_(lock_fd) {}
  fs::path path_;
  fs::path target_;
  int lock_fd_ = -1;  ///< open on the staging folder, flock'ed
  bool done_ = false;
};

}  // namespace fleetpack
