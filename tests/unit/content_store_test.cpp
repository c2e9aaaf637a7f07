// base/content_store: entries round-trip, writes are atomic under concurrent writers, corrupt entries are
// reported and replaced, prune drops the least recently used, a dead remote is one warning. Real files,
// real processes (fork), a real closed port; no mocks.
#include "base/content_store.h"

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "base/hash.h"
#include "base/remote_cache.h"
#include "base/zstd_codec.h"
#include "core/build_cache.h"
#include "test_util.h"

namespace fleetpack {
namespace {

using testing::read_text;
using testing::TempDir;
using testing::write_text;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

CacheSettings local(const fs::path& dir) {
  CacheSettings s;
  s.dir = dir;
  return s;
}

/// Every file under cas/ is named by the SHA-256 of its bytes, and no temporary file is left.
void expect_consistent(const fs::path& dir) {
  for (const char* sub : {"ac", "cas"})
    for (const auto& e : fs::directory_iterator(dir / sub)) {
      std::string name = e.path().filename().string();
      EXPECT_NE(name.rfind(".tmp-", 0), 0u) << "temporary file left: " << e.path();
      if (std::string(sub) == "cas") {
        std::string text = read_text(e.path());
        EXPECT_EQ(sha256_hex(text), name) << e.path();
      }
    }
}

/// Sets a file's modification time `seconds_ago` into the past.
void age(const fs::path& p, int seconds_ago) {
  struct timespec times[2];
  clock_gettime(CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= seconds_ago;
  times[1] = times[0];
  ASSERT_EQ(utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
}

size_t warnings(const Diagnostics& d) {
  size_t n = 0;
  for (const auto& x : d.all()) n += x.severity == Severity::Warning;
  return n;
}

TEST(ContentStore, PutThenGetReturnsEveryBlob) {
  TempDir t;
  ContentStore store(local(t.path()));
  Diagnostics d;
  std::string key = ContentStore::action_key("test", "input=1\n");
  EXPECT_FALSE(store.get(key, d));
  store.put(key, Blobs{{"a", bytes_of("alpha")}, {"b", bytes_of("")}}, d);
  auto got = store.get(key, d);
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["a"], bytes_of("alpha"));
  EXPECT_EQ((*got)["b"], Bytes{});
  EXPECT_TRUE(fs::exists(t.path() / "cas" / sha256_hex("alpha")));
  EXPECT_TRUE(fs::exists(t.path() / "ac" / key));
  EXPECT_EQ(store.counters().misses, 1u);
  EXPECT_EQ(store.counters().local_hits, 1u);
  EXPECT_EQ(store.counters().stored, 1u);
  EXPECT_TRUE(d.all().empty());
  expect_consistent(t.path());
}

TEST(ContentStore, KeysDependOnStageAndInputs) {
  EXPECT_NE(ContentStore::action_key("a", "x"), ContentStore::action_key("b", "x"));
  EXPECT_NE(ContentStore::action_key("a", "x"), ContentStore::action_key("a", "y"));
  EXPECT_EQ(ContentStore::action_key("a", "x"), ContentStore::action_key("a", "x"));
  EXPECT_EQ(ContentStore::action_key("a", "x").size(), 64u);
}

TEST(ContentStore, RefusesKeysThatAreNotHashes) {
  TempDir t;
  ContentStore store(local(t.path()));
  Diagnostics d;
  store.put("../escape", Blobs{{"a", bytes_of("x")}}, d);
  EXPECT_FALSE(fs::exists(t.path() / "ac"));
  EXPECT_FALSE(store.get("../escape", d));
}

TEST(ContentStore, MemoizeComputesOnce) {
  TempDir t;
  ContentStore store(local(t.path()));
  Diagnostics d;
  int calls = 0;
  auto compute = [&]() -> std::optional<Bytes> {
    ++calls;
    return bytes_of("result");
  };
  std::string key = ContentStore::action_key("memo", "");
  EXPECT_EQ(store.memoize(key, d, compute), bytes_of("result"));
  EXPECT_EQ(store.memoize(key, d, compute), bytes_of("result"));
  ContentStore again(local(t.path()));  // another run
  EXPECT_EQ(again.memoize(key, d, compute), bytes_of("result"));
  EXPECT_EQ(calls, 1);
  // A failed computation stores nothing.
  std::string other = ContentStore::action_key("memo", "other");
  EXPECT_FALSE(store.memoize(other, d, [] { return std::optional<Bytes>(); }));
  EXPECT_FALSE(fs::exists(t.path() / "ac" / other));
}

TEST(ContentStore, CorruptBlobIsReportedRemovedAndReplaced) {
  TempDir t;
  Diagnostics d;
  std::string key = ContentStore::action_key("test", "corrupt");
  ContentStore(local(t.path())).put(key, Blobs{{"m", bytes_of("the module")}}, d);
  fs::path blob = t.path() / "cas" / sha256_hex("the module");
  write_text(blob, "the modulX");  // same size, other bytes

  ContentStore store(local(t.path()));
  Diagnostics d2;
  EXPECT_FALSE(store.get(key, d2));
  ASSERT_EQ(d2.all().size(), 1u);
  EXPECT_EQ(d2.all()[0].severity, Severity::Warning);
  EXPECT_EQ(d2.all()[0].where.file, blob.string());
  EXPECT_NE(d2.all()[0].message.find("corrupt cache entry"), std::string::npos) << d2.all()[0].message;
  EXPECT_FALSE(d2.has_errors());
  EXPECT_FALSE(fs::exists(blob));
  EXPECT_EQ(store.counters().corrupt, 1u);

  store.put(key, Blobs{{"m", bytes_of("the module")}}, d2);
  EXPECT_EQ(store.get(key, d2)->at("m"), bytes_of("the module"));
  expect_consistent(t.path());
}

TEST(ContentStore, CorruptRecordIsReportedAndRemoved) {
  TempDir t;
  Diagnostics d;
  std::string key = ContentStore::action_key("test", "record");
  ContentStore store(local(t.path()));
  store.put(key, Blobs{{"m", bytes_of("x")}}, d);
  write_text(t.path() / "ac" / key, "{\"schema\": \"fleetpack.action/1\", \"outp");  // torn write
  EXPECT_FALSE(store.get(key, d));
  EXPECT_EQ(warnings(d), 1u);
  EXPECT_EQ(d.all()[0].where.file, (t.path() / "ac" / key).string());
  EXPECT_FALSE(fs::exists(t.path() / "ac" / key));
}

TEST(ContentStore, MissingBlobIsAMissNotCorruption) {
  TempDir t;
  Diagnostics d;
  std::string key = ContentStore::action_key("test", "pruned");
  ContentStore store(local(t.path()));
  store.put(key, Blobs{{"m", bytes_of("pruned away")}}, d);
  fs::remove(t.path() / "cas" / sha256_hex("pruned away"));
  EXPECT_FALSE(store.get(key, d));
  EXPECT_TRUE(d.all().empty());
}

TEST(ContentStore, ConcurrentWritersNeverLeavePartialEntries) {
  TempDir t;
  // Four processes store the same 40 actions (large blobs, so writes overlap) while reading them back;
  // every read sees a whole entry or none, and the store ends consistent.
  const int kProcs = 4, kKeys = 40;
  auto blob_for = [](int k) {
    Bytes b(256 * 1024 + k);
    for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>((i * 31 + k) & 0xff);
    return b;
  };
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ContentStore store(local(t.path()));
      Diagnostics d;
      int bad = 0;
      for (int round = 0; round < 2; ++round)
        for (int k = 0; k < kKeys; ++k) {
          std::string key = ContentStore::action_key("race", std::to_string(k));
          if (auto got = store.get(key, d)) {
            if (got->at("m") != blob_for(k)) ++bad;
          } else {
            store.put(key, Blobs{{"m", blob_for(k)}, {"small", bytes_of(std::to_string(k))}}, d);
          }
        }
      _exit(bad == 0 && d.all().empty() ? 0 : 1);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a writer saw a partial or wrong entry";
  }
  expect_consistent(t.path());
  ContentStore store(local(t.path()));
  Diagnostics d;
  for (int k = 0; k < kKeys; ++k)
    EXPECT_EQ(store.get(ContentStore::action_key("race", std::to_string(k)), d)->at("m"), blob_for(k));
  EXPECT_TRUE(d.all().empty());
}

TEST(ContentStore, PruneDropsLeastRecentlyUsedFirst) {
  TempDir t;
  Diagnostics d;
  ContentStore store(local(t.path()));
  std::vector<std::string> keys;
  for (int i = 0; i < 3; ++i) {
    keys.push_back(ContentStore::action_key("prune", std::to_string(i)));
    store.put(keys[i], Blobs{{"m", Bytes(10000, static_cast<uint8_t>(i))}}, d);
  }
  // Entry 0 is the oldest, then 1, then 2; a hit on 0 makes it the most recent.
  for (int i = 0; i < 3; ++i) {
    age(t.path() / "ac" / keys[i], 3000 - i * 1000);
    age(t.path() / "cas" / sha256_hex(Bytes(10000, static_cast<uint8_t>(i)).data(), 10000), 3000 - i * 1000);
  }
  ASSERT_TRUE(store.get(keys[0], d));

  auto before = store_stats(t.path(), d);
  ASSERT_TRUE(before);
  EXPECT_EQ(before->actions, 3u);
  EXPECT_EQ(before->blobs, 3u);
  uint64_t per_entry = before->bytes / 3;

  auto r = prune_store(t.path(), 2 * per_entry + 10, d);
  ASSERT_TRUE(r);
  EXPECT_LE(r->kept_bytes, 2 * per_entry + 10);
  EXPECT_EQ(r->removed_entries, 2u);  // entry 1's record and blob
  EXPECT_TRUE(store.get(keys[0], d));
  EXPECT_FALSE(store.get(keys[1], d));
  EXPECT_TRUE(store.get(keys[2], d));
  EXPECT_TRUE(d.all().empty());

  auto all = prune_store(t.path(), 0, d);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->kept_entries, 0u);
  EXPECT_EQ(store_stats(t.path(), d)->bytes, 0u);
}

TEST(ContentStore, CountersAccumulateAcrossRuns) {
  TempDir t;
  Diagnostics d;
  std::string key = ContentStore::action_key("count", "");
  for (int run = 0; run < 2; ++run) {
    ContentStore store(local(t.path()));
    if (!store.get(key, d)) store.put(key, Blobs{{"m", bytes_of("v")}}, d);
    store.record_counters();
  }
  auto s = store_stats(t.path(), d);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->totals.misses, 1u);
  EXPECT_EQ(s->totals.local_hits, 1u);
  EXPECT_EQ(s->totals.stored, 1u);
  EXPECT_NE(render_store_stats(*s).find("1 actions, 1 blobs"), std::string::npos) << render_store_stats(*s);
}

/// A loopback port nothing listens on: bound, then closed.
int unused_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

TEST(ContentStore, UnreachableRemoteIsOneWarningAndLocalWorkGoesOn) {
  TempDir t;
  CacheSettings s = local(t.path());
  s.remote_url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/cache";
  ContentStore store(s);
  Diagnostics d;
  for (int i = 0; i < 5; ++i) {
    std::string key = ContentStore::action_key("remote", std::to_string(i));
    EXPECT_FALSE(store.get(key, d));
    store.put(key, Blobs{{"m", bytes_of(std::to_string(i))}}, d);
    EXPECT_TRUE(store.get(key, d));  // from the local store
  }
  EXPECT_EQ(warnings(d), 1u);
  EXPECT_FALSE(d.has_errors());
  EXPECT_NE(d.all()[0].where.file.find("http://127.0.0.1:"), std::string::npos);
  EXPECT_NE(d.all()[0].message.find("remote cache failed"), std::string::npos) << d.all()[0].message;
}

TEST(RemoteCache, ConnectionRefusedFailsFast) {
  RemoteCache remote("http://127.0.0.1:" + std::to_string(unused_port()), std::chrono::seconds(10));
  auto start = std::chrono::steady_clock::now();
  auto r = remote.get("cas/" + std::string(64, '0'));
  EXPECT_EQ(r.status, RemoteCache::Response::Status::Failed);
  EXPECT_NE(r.error.find("GET http://127.0.0.1:"), std::string::npos) << r.error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(BuildCache, FiguresRoundTrip) {
  ModuleFigures f;
  f.wasm_bytes = 1234;
  f.wasm_zstd_bytes = 567;
  f.linear_memory_initial = 65536;
  f.linear_memory_max.reset();
  f.has_memory = true;
  f.table_elements = 3;
  f.linear_memory_init = 131072;
  f.code_bytes = 999;
  f.largest_functions = {{"function 'layout_run'", 400}, {"function 'f\"q'", 10}};
  f.data_segments = {{"data segment 0", 77}};
  f.sections = {{"code section", 1000}};
  std::vector<std::pair<Feature, int64_t>> costs = {{Feature::SignExt, 12}, {Feature::BulkMemory, -3}};
  std::string text = figures_to_json(f, costs);
  ModuleFigures g;
  std::vector<std::pair<Feature, int64_t>> costs2;
  ASSERT_TRUE(figures_from_json(text, g, costs2));
  EXPECT_EQ(figures_to_json(g, costs2), text);
  EXPECT_FALSE(g.linear_memory_max);
  EXPECT_EQ(g.linear_memory_init, 131072u);
  EXPECT_FALSE(g.table_init);
  EXPECT_EQ(costs2, costs);
  EXPECT_FALSE(figures_from_json("{\"wasm_bytes\": 1}", g, costs2));
}

TEST(BuildCache, FallbackInterfaceRoundTrip) {
  JsFallback fb;
  fb.code = "function asmFunc(env) {}";  // stored as its own blob, not in the JSON
  fb.imports = {{"wasi_snapshot_preview1", "fd_write", "function", "f0", {{"i32", "i32"}, {"i32"}}},
                {"env", "mem", "memory", "f1", {}}};
  fb.exports = {{"run", "function", {{"i64"}, {"f64"}}, ""}, {"counter", "global", {}, "i32"}};
  fb.memory_max_pages = 256;
  std::string text = fallback_interface_to_json(fb);
  auto back = fallback_interface_from_json(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(fallback_interface_to_json(*back), text);
  EXPECT_TRUE(back->code.empty());
  ASSERT_EQ(back->imports.size(), 2u);
  EXPECT_EQ(back->imports[0].module, "wasi_snapshot_preview1");
  EXPECT_EQ(back->imports[0].field, "f0");
  EXPECT_EQ(back->imports[0].signature.params, (std::vector<std::string>{"i32", "i32"}));
  EXPECT_EQ(back->exports[1].value_type, "i32");
  EXPECT_EQ(back->memory_max_pages, 256u);
  fb.memory_max_pages.reset();
  EXPECT_FALSE(fallback_interface_from_json(fallback_interface_to_json(fb))->memory_max_pages);
  EXPECT_FALSE(fallback_interface_from_json("{\"imports\": []}"));
}

TEST(BuildCache, CompressedFilesAreStoredAndNotCounted) {
  TempDir tmp;
  Bytes file(20000, 'a');
  const std::string sha = sha256_hex(file.data(), file.size());
  Bytes first;
  {
    ContentStore store(local(tmp.path() / "store"));
    Diagnostics diags;
    CompressedFiles files(store, diags);
    first = files.get(sha, file, 19);
    EXPECT_LT(first.size(), file.size());
    EXPECT_EQ(&files.get(sha, file, 19), &files.get(sha, file, 19));  // once per run
    EXPECT_EQ(store.counters().misses + store.counters().stored, 0u);
    EXPECT_TRUE(diags.all().empty());
  }
  ContentStore store(local(tmp.path() / "store"));
  Diagnostics diags;
  CompressedFiles files(store, diags);
  Bytes nothing;  // a hit never reads the file
  EXPECT_EQ(files.get(sha, nothing, 19), first);
  EXPECT_EQ(store.counters().local_hits, 0u);
}

// Compressions started on the background thread give what get gives, go to the store once collected, and
// a CompressedFiles destroyed before collecting them stops its thread. The files are shared with the
// thread (the owner argument), which a starved collection may leave behind.
TEST(BuildCache, CompressedFilesInTheBackgroundEqualGet) {
  TempDir tmp;
  auto files = std::make_shared<std::vector<Bytes>>();
  for (int i = 0; i < 6; ++i) {
    Bytes f(300000 + 1000 * i);
    for (size_t k = 0; k < f.size(); ++k) f[k] = static_cast<uint8_t>((k * 7 + i) % 251 / 3);
    files->push_back(std::move(f));
  }
  auto sha = [](const Bytes& b) { return sha256_hex(b.data(), b.size()); };
  {
    ContentStore store(local(tmp.path() / "store"));
    Diagnostics diags;
    CompressedFiles files_bg(store, diags);
    for (const Bytes& f : *files) files_bg.compress_in_background({sha(f), &f, 12}, files);
    files_bg.compress_in_background({sha(files->front()), &files->front(), 12}, files);  // twice: done once
    for (const Bytes& f : *files)
      EXPECT_EQ(files_bg.get(sha(f), f, 12), zstd_compress(f.data(), f.size(), 12));
    EXPECT_TRUE(diags.all().empty());
  }
  {  // all six were stored: a new run reads them without the files
    ContentStore store(local(tmp.path() / "store"));
    Diagnostics diags;
    CompressedFiles from_store(store, diags);
    Bytes nothing;
    for (const Bytes& f : *files)
      EXPECT_EQ(from_store.get(sha(f), nothing, 12), zstd_compress(f.data(), f.size(), 12));
  }
  ContentStore none(local(tmp.path() / "other"));
  Diagnostics diags;
  auto abandoned = std::make_unique<CompressedFiles>(none, diags);
  for (const Bytes& f : *files) abandoned->compress_in_background({sha(f), &f, 19}, files);
  abandoned.reset();  // stops its thread without waiting for what it had not started
  SUCCEED();
}

// The background thread runs only on idle cores. With every core busy at normal priority it gets next to
// no time: get must not wait for it (it cancels the compression and does it itself), and the bytes are
// the same. Without the cancellation, each get here would wait for a thread that hardly runs.
TEST(BuildCache, CompressedFilesDoNotWaitForAStarvedBackgroundThread) {
  TempDir tmp;
  ContentStore store(local(tmp.path() / "store"));
  Diagnostics diags;
  auto file = std::make_shared<Bytes>(2u << 20);
  for (size_t k = 0; k < file->size(); ++k) (*file)[k] = static_cast<uint8_t>((k * 13) % 241 / 2 + k / 4096);
  const std::string sha = sha256_hex(file->data(), file->size());
  std::atomic<bool> busy{true};
  std::vector<std::thread> load;
  for (unsigned i = 0; i < std::max(2u, std::thread::hardware_concurrency()); ++i)
    load.emplace_back([&busy] {
      while (busy.load(std::memory_order_relaxed)) {
      }
    });
  Bytes got;
  {
    CompressedFiles files(store, diags);
    files.compress_in_background({sha, file.get(), 19}, file);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the thread starts, and starves
    const auto start = std::chrono::steady_clock::now();
    got = files.get(sha, *file, 19);
    // A liveness bound, not a speed figure: the compression itself takes about a second under this load;
    // waiting for the starved thread instead took minutes.
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 60.0);
  }
  busy = false;
  for (auto& t : load) t.join();
  EXPECT_EQ(got, zstd_compress(file->data(), file->size(), 19));
  EXPECT_TRUE(diags.all().empty());
}

// The ES5 check of a generated file is remembered by its hash only when it passed without a word.
TEST(BuildCache, Es5CheckIsRememberedOnlyWhenClean) {
  TempDir tmp;
  ContentStore store(local(tmp.path() / "store"));
  auto bytes = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
  const Bytes clean = bytes("var a = 1;\n"), bad = bytes("const a = 1;\n");
  std::string limits;  // passes, with a warning (Duktape's inner-function limit)
  for (int i = 0; i < 70000; ++i) limits += "function f" + std::to_string(i) + "() {}\n";
  auto check = [&](const std::string& sha, const Bytes& text, size_t& messages) {
    Diagnostics d;
    bool ok = check_es5_cached(store, "f.js", sha, text, d);
    messages = d.all().size();
    return ok;
  };
  size_t n = 0;
  EXPECT_TRUE(check("aa", clean, n));
  EXPECT_EQ(n, 0u);
  // Remembered: the same hash passes without being checked again (here, with other text behind it).
  EXPECT_TRUE(check("aa", bad, n));
  EXPECT_EQ(n, 0u);
  // A failure is reported every time.
  EXPECT_FALSE(check("bb", bad, n));
  EXPECT_GT(n, 0u);
  EXPECT_FALSE(check("bb", bad, n));
  EXPECT_GT(n, 0u);
  // So is a warning: a pass with one is not remembered.
  EXPECT_TRUE(check("cc", bytes(limits), n));
  EXPECT_EQ(n, 1u);
  EXPECT_TRUE(check("cc", bytes(limits), n));
  EXPECT_EQ(n, 1u);
  // The store's counters are about variants: these lookups are not counted.
  EXPECT_EQ(store.counters().misses + store.counters().local_hits + store.counters().stored, 0u);
}

}  // namespace
}  // namespace fleetpack
