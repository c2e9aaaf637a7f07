#include "base/file_io.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <stdio.h>
#include <unistd.h>

#include <fmt/format.h>

namespace fleetpack {

namespace {
std::atomic<unsigned> g_temp_counter{0};

std::string temp_suffix() {
  return fmt::format(".tmp-{}-{}", static_cast<long>(getpid()), g_temp_counter.fetch_add(1));
}
}  // namespace

std::optional<Bytes> read_file(const fs::path& path, Diagnostics& diags, uint64_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(path.string()), "is a directory, not a file",
                "give the path of the file itself");
    return std::nullopt;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(path.string()),
                fmt::format("cannot open: {}", std::strerror(errno)), "check the path and its permissions");
    return std::nullopt;
  }
  Bytes data;
  uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      diags.error(ErrorKind::InvalidInput, Location::file_only(path.string()),
                  fmt::format("cannot read: {}", std::strerror(errno)));
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      diags.error(ErrorKind::InvalidInput, Location::file_only(path.string()),
                  fmt::format("file is larger than the limit of {} bytes", max_bytes));
      ::close(fd);
      return std::nullopt;
    }
    data.insert(data.end(), buf, buf + n);
  }
  ::close(fd);
  return data;
}

bool write_file_atomic(const fs::path& path, const void* data, size_t size, Diagnostics& diags) {
  std::error_code ec;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  fs::path tmp = path;
  tmp += temp_suffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    diags.error(ErrorKind::Internal, Location::file_only(path.string()),
                fmt::format("cannot create: {}", std::strerror(errno)),
                "check that the output directory is writable");
    return false;
  }
  const auto* p = static_cast<const uint8_t*>(data);
  size_t left = size;
  bool ok = true;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (ok && ::fsync(fd) != 0) ok = false;
  int saved = errno;
  if (::close(fd) != 0) ok = false;
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    ok = false;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    diags.error(ErrorKind::Internal, Location::file_only(path.string()),
                fmt::format("cannot write: {}", std::strerror(saved)),
                "check free disk space and permissions");
  }
  return ok;
}

std::optional<StagingDir> StagingDir::create(const fs::path& target, Diagnostics& diags) {
  std::error_code ec;
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  fs::path staged = parent / ("." + target.filename().string() + temp_suffix());
  if (!fs::create_directory(staged, ec) || ec) {
    diags.error(ErrorKind::Internal, Location::file_only(staged.string()),
                fmt::format("cannot create staging directory: {}", ec.message()),
                "check that the output directory is writable");
    return std::nullopt;
  }
  return StagingDir(staged, target);
}

StagingDir::StagingDir(StagingDir&& o) noexcept
    : path_(std::move(o.path_)), target_(std::move(o.target_)), done_(o.done_) {
  o.done_ = true;
}

StagingDir::~StagingDir() {
  if (done_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool StagingDir::publish(Diagnostics& diags) {
  std::error_code ec;
  if (::rename(path_.c_str(), target_.c_str()) == 0) {
    done_ = true;
    return true;
  }
  if (errno == ENOTEMPTY || errno == EEXIST || errno == EISDIR) {
    // Swap atomically: readers see the old or the new tree, never neither.
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      fs::remove_all(path_, ec);  // now holds the previous tree
      done_ = true;
      return true;
    }
  }
  diags.error(ErrorKind::Internal, Location::file_only(target_.string()),
              fmt::format("cannot move the new output into place: {}", std::strerror(errno)),
              "check that the output path is a directory fleetpack may replace");
  return false;
}

}  // namespace fleetpack
