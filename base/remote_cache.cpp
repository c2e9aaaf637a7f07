#include "base/remote_cache.h"

#include <algorithm>
#include <curl/curl.h>
#include <dlfcn.h>
#include <type_traits>

#include <fmt/format.h>

namespace fleetpack {

namespace {

constexpr long kConnectTimeoutMs = 2000;

/// libcurl, loaded on first use. Linked, it and the ~30 libraries it pulls in (TLS, Kerberos, LDAP, SSH,
/// ...) cost every fleetpack process about 6 MiB of memory at start-up (their relocations and
/// constructors), which the Binaryen workers forked from it share: measured as a tenth of a build's peak
/// (docs/performance.md, "Peak memory"). Most runs use no remote cache.
struct Curl {
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  std::string error;  ///< why libcurl is not there
};

const Curl& curl() {
  static const Curl api = [] {
    Curl c;
    void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);  // never closed: used until exit
    if (!lib) {
      const char* why = dlerror();
      c.error = why ? why : "libcurl.so.4 cannot be loaded";
      return c;
    }
    bool found = true;
    auto get = [&](auto& fn, const char* name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name));
      found = found && fn;
    };
    decltype(&::curl_global_init) global_init = nullptr;
    get(global_init, "curl_global_init");
    get(c.easy_init, "curl_easy_init");
    get(c.easy_cleanup, "curl_easy_cleanup");
    get(c.easy_reset, "curl_easy_reset");
    get(c.easy_setopt, "curl_easy_setopt");
    get(c.easy_getinfo, "curl_easy_getinfo");
    get(c.easy_perform, "curl_easy_perform");
    get(c.easy_strerror, "curl_easy_strerror");
    get(c.slist_append, "curl_slist_append");
    get(c.slist_free_all, "curl_slist_free_all");
    if (!found) {
      c = Curl();
      c.error = "libcurl.so.4 lacks functions fleetpack uses";
      return c;
    }
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      c = Curl();
      c.error = "curl_global_init failed";
    }
    return c;
  }();
  return api;
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

/// Why a request cannot be made at all.
std::string not_started() {
  return curl().error.empty() ? "libcurl could not start" : "libcurl cannot be loaded: " + curl().error;
}

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
    const Curl& c = fleetpack::curl();
    c.easy_reset(curl);
    c.easy_setopt(curl, CURLOPT_URL, url.c_str());
    c.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    c.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                  std::min<long>(kConnectTimeoutMs, static_cast<long>(timeout.count())));
    c.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    c.easy_setopt(curl, CURLOPT_USERAGENT, "fleetpack/" FLEETPACK_VERSION);
    c.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  }

  Response finish(CURLcode rc, const char* method, const std::string& url, bool is_get) {
    Response r;
    long status = 0;
    fleetpack::curl().easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK) {
      r.error = fmt::format("{} {}: {}", method, url, fleetpack::curl().easy_strerror(rc));
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
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  impl_->base = std::move(base_url);
  impl_->timeout = timeout;
  if (curl().easy_init) impl_->curl = curl().easy_init();
}

RemoteCache::~RemoteCache() {
  if (impl_->curl) curl().easy_cleanup(impl_->curl);
}

std::string RemoteCache::url(const std::string& path) const { return impl_->base + "/" + path; }

RemoteCache::Response RemoteCache::get(const std::string& path, uint64_t max_bytes) {
  std::string u = url(path);
  if (!impl_->curl) return {Response::Status::Failed, {}, "GET " + u + ": " + not_started()};
  const Curl& c = curl();
  Bytes body;
  Sink sink{&body, max_bytes};
  impl_->reset(u);
  c.easy_setopt(impl_->curl, CURLOPT_WRITEFUNCTION, on_data);
  c.easy_setopt(impl_->curl, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = c.easy_perform(impl_->curl);
  if (rc == CURLE_WRITE_ERROR && body.size() >= max_bytes)
    return {Response::Status::Failed, {}, fmt::format("GET {}: larger than {} bytes", u, max_bytes)};
  Response r = impl_->finish(rc, "GET", u, true);
  if (r.status == Response::Status::Found) r.body = std::move(body);
  return r;
}

RemoteCache::Response RemoteCache::put(const std::string& path, const Bytes& body) {
  std::string u = url(path);
  if (!impl_->curl) return {Response::Status::Failed, {}, "PUT " + u + ": " + not_started()};
  const Curl& c = curl();
  Source source{&body};
  Bytes ignored;
  Sink sink{&ignored, 1 << 20};
  impl_->reset(u);
  c.easy_setopt(impl_->curl, CURLOPT_UPLOAD, 1L);
  c.easy_setopt(impl_->curl, CURLOPT_READFUNCTION, on_read);
  c.easy_setopt(impl_->curl, CURLOPT_READDATA, &source);
  c.easy_setopt(impl_->curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.size()));
  c.easy_setopt(impl_->curl, CURLOPT_WRITEFUNCTION, on_data);
  c.easy_setopt(impl_->curl, CURLOPT_WRITEDATA, &sink);
  // No "Expect: 100-continue" round trip for each upload.
  struct curl_slist* headers = c.slist_append(nullptr, "Expect:");
  headers = c.slist_append(headers, "Content-Type: application/octet-stream");
  c.easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = c.easy_perform(impl_->curl);
  c.easy_setopt(impl_->curl, CURLOPT_HTTPHEADER, nullptr);
  c.slist_free_all(headers);
  return impl_->finish(rc, "PUT", u, false);
}

}  // namespace fleetpack
