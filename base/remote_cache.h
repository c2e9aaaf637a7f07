// A client for Bazel's HTTP remote-cache protocol (bazel-remote, nginx with WebDAV, any server that
// stores what it is PUT): GET and PUT of <base>/cas/<sha256> and <base>/ac/<key>; 404 is a miss. libcurl,
// one connection kept alive for a build, short timeouts. It knows nothing of what the entries mean.
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "base/file_io.h"

namespace fleetpack {

class RemoteCache {
 public:
  struct Response {
    enum class Status {
      Found,    ///< 200 (GET) or 2xx (PUT)
      Missing,  ///< 404 (GET)
      Failed,   ///< no connection, a timeout, another status: `error` says which
    } status = Status::Failed;
    Bytes body;
    std::string error;
  };

  /// `base_url` without a trailing slash is fine; `timeout` bounds each whole request (connecting alone is
  /// bounded by min(timeout, 2 s)).
  RemoteCache(std::string base_url, std::chrono::milliseconds timeout);
  ~RemoteCache();
  RemoteCache(const RemoteCache&) = delete;
  RemoteCache& operator=(const RemoteCache&) = delete;

  /// `path` is "cas/<sha256>" or "ac/<key>". Bodies over `max_bytes` fail (a hostile server must not
  /// exhaust memory).
  Response get(const std::string& path, uint64_t max_bytes = 1ull << 30);
  Response put(const std::string& path, const Bytes& body);
  /// The full URL of `path`, for messages.
  std::string url(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fleetpack
