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

/// Writes data to path atomically (temp file in the same directory, fsync, rename). Creates parent
/// directories. On failure adds an Internal error and leaves no temporary file.
bool write_file_atomic(const fs::path& path, const void* data, size_t size, Diagnostics& diags);
inline bool write_file_atomic(const fs::path& path, const Bytes& b, Diagnostics& d) {
  return write_file_atomic(path, b.data(), b.size(), d);
}
inline bool write_file_atomic(const fs::path& path, const std::string& s, Diagnostics& d) {
  return write_file_atomic(path, s.data(), s.size(), d);
}

/// A directory under construction beside its final place. Destroying it without publish() removes it, so a
/// failed build leaves nothing visible.
class StagingDir {
 public:
  /// Creates "<parent of target>/.<name of target>.tmp-<pid>-<n>".
  static std::optional<StagingDir> create(const fs::path& target, Diagnostics& diags);
  StagingDir(StagingDir&&) noexcept;
  StagingDir& operator=(StagingDir&&) = delete;
  ~StagingDir();

  const fs::path& path() const { return path_; }
  /// Moves the staged directory into place. An existing target is swapped out atomically
  /// (renameat2 RENAME_EXCHANGE) and then removed, so readers always see a complete old or new tree.
  bool publish(Diagnostics& diags);

 private:
  StagingDir(fs::path path, fs::path target) : path_(std::move(path)), target_(std::move(target)) {}
  fs::path path_;
  fs::path target_;
  bool done_ = false;
};

}  // namespace fleetpack
