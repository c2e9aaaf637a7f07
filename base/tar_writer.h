// A deterministic POSIX ustar writer for release archives (`build --archive`): the caller gives the
// entries in the order to write them; every header has uid/gid 0, owner "root", a fixed mode and one
// mtime. About 60 lines instead of a libarchive dependency, whose defaults (pax headers with atime and
// ctime, the caller's uid) would have to be switched off one by one for reproducibility.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fleetpack {

struct TarEntry {
  std::string path;  ///< '/'-separated, relative; directories without the trailing '/'
  bool directory = false;
  unsigned mode = 0644;
  std::vector<uint8_t> data;  ///< empty for directories
};

/// The archive bytes (ending with two zero blocks, padded to 10240-byte records as tar does), or nullopt
/// with `error` naming the entry whose path does not fit ustar's 100 + 155 byte name fields.
std::optional<std::vector<uint8_t>> tar_build(const std::vector<TarEntry>& entries, uint64_t mtime,
                                              std::string& error);

}  // namespace fleetpack
