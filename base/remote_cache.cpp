#include "base/remote_cache.h"

#include <algorithm>
#include <curl/curl.h>
#include <mutex>

#include <fmt/format.h>

namespace fleetpack {

namespace {

constexpr long kConnectTimeoutMs = 2000;

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  Bytes* body;
  uint64_t max_bytes;
};

size_t on_data(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  size_t len = size * n;
  if (s->body->size() + len > s->max_bytes) return 0;  // makes curl fail with CURLE_WRITE_ERROR
  s->body->insert(s->body->end(), data, data + len);
  return len;
}

struct Source {
  const Bytes* body;
  size_t pos = 0;
};

size_t on_read(char* buffer, size_t size, size_t n, void* user) {
  auto* s = static_cast<Source*>(user);
  size_t len = std::min(size * n, s->body->size() - s->pos);
  std::copy_n(s->body->data() + s->pos, len, buffer);
  s->pos += len;
  return len;
}

}  // namespace

struct RemoteCache::Impl {
  std::string base;
  std::chrono::milliseconds timeout;
  CURL* curl = nullptr;

  /// Sets what every request shares; the handle is reused so the connection stays open.
  void reset(const std::string& url) {
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     std::min<long>(kConnectTimeoutMs, static_cast<long>(timeout.count())));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "fleetpack/" FLEETPACK_VERSION);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  }

  Response finish(CURLcode rc, const char* method, const std::string& url, bool is_get) {
    Response r;
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
      r.error = fmt::format("{} {}: {}", method, url, curl_easy_strerror(rc));
    } else if (is_get && status == 404) {
      r.status = Response::Status::Missing;
    } else if ((is_get && status == 200) || (!is_get && status >= 200 && status < 300)) {
      r.status = Response::Status::Found;
    } else {
      r.error = fmt::format("{} {}: HTTP status {}", method, url, status);
    }
    return r;
  }
};

RemoteCache::RemoteCache(std::string base_url, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  init_curl_once();
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  impl_->base = std::move(base_url);
  impl_->timeout = timeout;
  impl_->curl = curl_easy_init();
}

RemoteCache::~RemoteCache() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

std::string RemoteCache::url(const std::string& path) const { return impl_->base + "/" + path; }

RemoteCache::Response RemoteCache::get(const std::string& path, uint64_t max_bytes) {
  std::string u = url(path);
  if (!impl_->curl) return {Response::Status::Failed, {}, "GET " + u + ": libcurl could not start"};
  Bytes body;
  Sink sink{&body, max_bytes};
  impl_->reset(u);
  curl_easy_setopt(impl_->curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(impl_->curl, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = curl_easy_perform(impl_->curl);
  if (rc == CURLE_WRITE_ERROR && body.size() >= max_bytes)
    return {Response::Status::Failed, {}, fmt::format("GET {}: larger than {} bytes", u, max_bytes)};
  Response r = impl_->finish(rc, "GET", u, true);
  if (r.status == Response::Status::Found) r.body = std::move(body);
  return r;
}

RemoteCache::Response RemoteCache::put(const std::string& path, const Bytes& body) {
  std::string u = url(path);
  if (!impl_->curl) return {Response::Status::Failed, {}, "PUT " + u + ": libcurl could not start"};
  Source source{&body};
  Bytes ignored;
  Sink sink{&ignored, 1 << 20};
  impl_->reset(u);
  curl_easy_setopt(impl_->curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(impl_->curl, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(impl_->curl, CURLOPT_READDATA, &source);
  curl_easy_setopt(impl_->curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(impl_->curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(impl_->curl, CURLOPT_WRITEDATA, &sink);
  // No "Expect: 100-continue" round trip for each upload.
  struct curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(impl_->curl);
  curl_easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  return impl_->finish(rc, "PUT", u, false);
}

}  // namespace fleetpack
