#include "base/file_io.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace fleetpack {

namespace {
std::atomic<unsigned> g_temp_counter{0};

std::string temp_suffix() {
  return fmt::format(".tmp-{}-{}", static_cast<long>(getpid()), g_temp_counter.fetch_add(1));
}

/// Reports that `path` could not be written (errno `saved`) and removes its temporary file `tmp`.
void write_failed(const fs::path& path, const fs::path& tmp, int saved, Diagnostics& diags) {
  ::unlink(tmp.c_str());
  diags.error(ErrorKind::Internal, Location::file_only(path.string()),
              fmt::format("cannot write: {}", std::strerror(saved)), "check free disk space and permissions");
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

bool write_all(int fd, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
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
  bool ok = write_all(fd, data, size);
  if (ok && ::fsync(fd) != 0) ok = false;
  int saved = errno;
  if (::close(fd) != 0) ok = false;
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    saved = errno;
    ok = false;
  }
  if (!ok) write_failed(path, tmp, saved, diags);
  return ok;
}

bool write_file_published(const fs::path& path, const Bytes& data, Diagnostics& diags) {
  std::error_code ec;
  fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  fs::path tmp = parent / ("." + path.filename().string() + temp_suffix());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && ::flock(fd, LOCK_EX) == 0 && ::fchmod(fd, 0644) == 0 &&
            write_all(fd, data.data(), data.size());
  ok = ok && ::fsync(fd) == 0 && std::rename(tmp.c_str(), path.c_str()) == 0;
  int saved = errno;
  if (fd >= 0) ::close(fd);
  if (!ok) write_failed(path, tmp, saved, diags);
  return ok;
}

std::optional<StagingDir> StagingDir::create(const fs::path& target, Diagnostics& diags) {
  std::error_code ec;
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  // Another build's remove_abandoned() may take the folder in the instant before it is locked (it looks
  // abandoned then): a folder removed under us has no links left, and we start again with a new name.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto made = create_locked(parent, target, diags);
    if (!made || made->lock_fd_ < 0) return made;
    struct stat st {};
    if (::fstat(made->lock_fd_, &st) == 0 && st.st_nlink > 0) return made;
  }
  diags.error(ErrorKind::Internal, Location::file_only(target.string()),
              "cannot create a staging directory: it keeps disappearing",
              "another process removes hidden folders beside the output; stop it and retry");
  return std::nullopt;
}

std::optional<StagingDir> StagingDir::create_locked(const fs::path& parent, const fs::path& target,
                                                    Diagnostics& diags) {
  std::error_code ec;
  fs::path staged = parent / ("." + target.filename().string() + temp_suffix());
  if (!fs::create_directory(staged, ec) || ec) {
    diags.error(ErrorKind::Internal, Location::file_only(staged.string()),
                fmt::format("cannot create staging directory: {}", ec.message()),
                "check that the output directory is writable");
    return std::nullopt;
  }
  // Locked before anything is written into it, so remove_abandoned() never takes a live build's folder.
  int fd = ::open(staged.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::flock(fd, LOCK_EX) != 0 || ::fchmod(fd, 0755) != 0) {
    int saved = errno;
    if (fd >= 0) ::close(fd);
    fs::remove_all(staged, ec);
    diags.error(ErrorKind::Internal, Location::file_only(staged.string()),
                fmt::format("cannot lock the staging directory: {}", std::strerror(saved)),
                "check that the output directory is on a local file system fleetpack may write");
    return std::nullopt;
  }
  return StagingDir(staged, target, fd);
}

size_t StagingDir::remove_abandoned(const fs::path& target) {
  std::error_code ec;
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string prefix = "." + target.filename().string() + ".tmp-";
  size_t removed = 0;
  for (auto it = fs::directory_iterator(parent, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0 || it->is_symlink(ec)) continue;
    int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    // A live build holds its lock; a killed one's lock went with its process.
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      std::error_code rm;
      fs::remove_all(it->path(), rm);
      if (!rm) ++removed;
    }
    ::close(fd);
  }
  return removed;
}

StagingDir::StagingDir(StagingDir&& o) noexcept
    : path_(std::move(o.path_)), target_(std::move(o.target_)), lock_fd_(o.lock_fd_), done_(o.done_) {
  o.done_ = true;
  o.lock_fd_ = -1;
}

StagingDir::~StagingDir() {
  if (!done_) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
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
