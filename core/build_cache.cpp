#include "core/build_cache.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>
#include <sched.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <time.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zstd.h>

#include "base/binaryen_adapter.h"
#include "base/es5_check.h"
#include "base/hash.h"
#include "base/zstd_codec.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

using nlohmann::json;

/// The features Binaryen gets for this context (as passes/optimize.cpp decides them).
FeatureSet binaryen_features(const StepContext& ctx) {
  if (ctx.optimize_features) return *ctx.optimize_features;
  FeatureSet used;
  for (const auto& u : ctx.input_features) used.add(u.feature);
  return used;
}

std::string optimize_action_key(const StepContext& ctx) {
  const Bytes& in = ctx.module->bytes;
  return ContentStore::action_key(
      "optimize", fmt::format("input={}\nlevel={}\nfeatures={}\nkeep-names=true\nbinaryen={}\n",
                              sha256_hex(in.data(), in.size()), ctx.optimize_level,
                              binaryen_features(ctx).to_string(), binaryen_identity()));
}

json contributors_json(const std::vector<Contributor>& v) {
  json a = json::array();
  for (const auto& c : v) a.push_back({c.what, c.bytes});
  return a;
}

std::vector<Contributor> contributors_from(const json& a) {
  std::vector<Contributor> v;
  for (const auto& c : a) v.push_back({c.at(0).get<std::string>(), c.at(1).get<uint64_t>()});
  return v;
}

json optional_json(const std::optional<uint64_t>& v) { return v ? json(*v) : json(nullptr); }

std::optional<uint64_t> optional_from(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<uint64_t>();
}

}  // namespace

std::string features_to_json(const std::vector<FeatureUse>& uses) {
  json a = json::array();
  for (const auto& u : uses)
    a.push_back({{"feature", std::string(feature_name(u.feature))},
                 {"count", u.count},
                 {"first_func", u.first_func ? json(*u.first_func) : json(nullptr)},
                 {"first_offset", u.first_offset},
                 {"first_what", u.first_what}});
  return a.dump();
}

std::optional<std::vector<FeatureUse>> features_from_json(const std::string& text) {
  try {
    std::vector<FeatureUse> uses;
    for (const auto& e : json::parse(text)) {
      auto f = parse_feature(e.at("feature").get<std::string>());
      if (!f) return std::nullopt;
      FeatureUse u{*f, e.at("count").get<uint64_t>(), std::nullopt, e.at("first_offset").get<uint64_t>(),
                   e.at("first_what").get<std::string>()};
      if (!e.at("first_func").is_null()) u.first_func = e.at("first_func").get<uint32_t>();
      uses.push_back(std::move(u));
    }
    return uses;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

bool validate_and_detect_cached(ContentStore& store, StepContext& ctx) {
  std::string key;
  if (store.enabled()) {
    key = ContentStore::action_key(
        "input", "input=" + sha256_hex(ctx.input_bytes.data(), ctx.input_bytes.size()) + "\n");
    if (auto hit = store.get_blob(key, ctx.diags))
      if (auto uses = features_from_json(std::string(hit->begin(), hit->end()))) {
        ctx.input_features = std::move(*uses);
        return true;
      }
  }
  if (!run_validate(ctx) || !run_detect_features(ctx)) return false;
  if (!key.empty()) {
    std::string text = features_to_json(ctx.input_features);
    store.put_blob(key, Bytes(text.begin(), text.end()), ctx.diags);
  }
  return true;
}

bool ensure_validated(StepContext& ctx) { return ctx.module || run_validate(ctx); }

std::vector<bool> run_optimize_batch_cached(ContentStore& store, const std::vector<StepContext*>& contexts,
                                            int jobs, const std::function<void(size_t, bool)>& ready) {
  std::vector<bool> ok(contexts.size(), false);
  std::vector<StepContext*> todo;
  std::vector<size_t> todo_index;
  std::vector<std::string> keys(contexts.size());
  for (size_t i = 0; i < contexts.size(); ++i) {
    StepContext& ctx = *contexts[i];
    if (store.enabled() && ctx.module) {
      keys[i] = optimize_action_key(ctx);
      if (auto hit = store.get_blob(keys[i], ctx.diags)) {
        Diagnostics quiet;  // hash-verified, so it loads; if not, it is simply computed again
        if (auto m = load_module(ctx.input_file + " (optimized)", std::move(*hit), quiet)) {
          ctx.module = std::move(m);
          ok[i] = true;
          continue;
        }
      }
    }
    todo.push_back(&ctx);
    todo_index.push_back(i);
  }
  // Stored results are handed to `ready` once the workers for the others have started (in the first
  // worker's callback), or at once when there are none.
  std::vector<size_t> hits;
  for (size_t i = 0; i < contexts.size(); ++i)
    if (ok[i]) hits.push_back(i);
  bool hits_handed = false;
  auto hand_hits = [&] {
    if (hits_handed || !ready) return;
    hits_handed = true;
    for (size_t i : hits) ready(i, true);
  };
  run_optimize_batch(todo, jobs, [&](size_t t, bool done) {
    const size_t i = todo_index[t];
    ok[i] = done;
    if (done && !keys[i].empty()) store.put_blob(keys[i], contexts[i]->module->bytes, contexts[i]->diags);
    hand_hits();
    if (ready) ready(i, done);
  });
  hand_hits();
  return ok;
}

std::string variant_action_key(const Variant& variant, const std::optional<InitSettings>& init) {
  // The plan's settings text less the app files: the engine's result does not depend on them, so an
  // app-JS-only change reuses every variant's engine.
  std::istringstream lines(variant.settings);
  std::string inputs;
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("app=", 0) != 0) inputs += line + "\n";
  if (init) {
    inputs += "init.export=" + init->export_name + "\n";
    for (const auto& a : init->args) inputs += "init.arg=" + a + "\n";
    for (const auto& [imp, value] : init->imports) inputs += "init.import=" + imp + "=" + value + "\n";
    inputs += fmt::format("init.timeout_ms={}\n", init->timeout.count());
  }
  inputs += "binaryen=" + binaryen_identity() + "\n";
  inputs += fmt::format("zstd={}\n", ZSTD_versionString());
  return ContentStore::action_key("variant", inputs);
}

std::string figures_to_json(const ModuleFigures& f, const std::vector<std::pair<Feature, int64_t>>& costs) {
  json j;
  j["wasm_bytes"] = f.wasm_bytes;
  j["wasm_zstd_bytes"] = f.wasm_zstd_bytes;
  j["linear_memory_initial"] = f.linear_memory_initial;
  j["linear_memory_max"] = optional_json(f.linear_memory_max);
  j["has_memory"] = f.has_memory;
  j["table_elements"] = f.table_elements;
  j["linear_memory_init"] = optional_json(f.linear_memory_init);
  j["table_init"] = optional_json(f.table_init);
  j["code_bytes"] = f.code_bytes;
  j["largest_functions"] = contributors_json(f.largest_functions);
  j["data_segments"] = contributors_json(f.data_segments);
  j["sections"] = contributors_json(f.sections);
  json c = json::array();
  for (const auto& [feature, bytes] : costs) c.push_back({std::string(feature_name(feature)), bytes});
  j["lowering_costs"] = c;
  return j.dump();
}

bool figures_from_json(const std::string& text, ModuleFigures& f,
                       std::vector<std::pair<Feature, int64_t>>& costs) {
  try {
    json j = json::parse(text);
    f.wasm_bytes = j.at("wasm_bytes").get<uint64_t>();
    f.wasm_zstd_bytes = j.at("wasm_zstd_bytes").get<uint64_t>();
    f.linear_memory_initial = j.at("linear_memory_initial").get<uint64_t>();
    f.linear_memory_max = optional_from(j.at("linear_memory_max"));
    f.has_memory = j.at("has_memory").get<bool>();
    f.table_elements = j.at("table_elements").get<uint64_t>();
    f.linear_memory_init = optional_from(j.at("linear_memory_init"));
    f.table_init = optional_from(j.at("table_init"));
    f.code_bytes = j.at("code_bytes").get<uint64_t>();
    f.largest_functions = contributors_from(j.at("largest_functions"));
    f.data_segments = contributors_from(j.at("data_segments"));
    f.sections = contributors_from(j.at("sections"));
    costs.clear();
    for (const auto& c : j.at("lowering_costs")) {
      auto feature = parse_feature(c.at(0).get<std::string>());
      if (!feature) return false;
      costs.emplace_back(*feature, c.at(1).get<int64_t>());
    }
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

namespace {

json signature_json(const JsSignature& s) { return {{"params", s.params}, {"results", s.results}}; }

JsSignature signature_from(const json& j) {
  return {j.at("params").get<std::vector<std::string>>(), j.at("results").get<std::vector<std::string>>()};
}

}  // namespace

std::string fallback_interface_to_json(const JsFallback& fb) {
  json j;
  j["imports"] = json::array();
  for (const auto& i : fb.imports)
    j["imports"].push_back({{"module", i.module},
                            {"name", i.name},
                            {"kind", i.kind},
                            {"field", i.field},
                            {"signature", signature_json(i.signature)}});
  j["exports"] = json::array();
  for (const auto& e : fb.exports)
    j["exports"].push_back({{"name", e.name},
                            {"kind", e.kind},
                            {"signature", signature_json(e.signature)},
                            {"value_type", e.value_type}});
  j["memory_max_pages"] = optional_json(fb.memory_max_pages);
  return j.dump();
}

std::optional<JsFallback> fallback_interface_from_json(const std::string& text) {
  try {
    json j = json::parse(text);
    JsFallback fb;
    for (const auto& i : j.at("imports"))
      fb.imports.push_back({i.at("module").get<std::string>(), i.at("name").get<std::string>(),
                            i.at("kind").get<std::string>(), i.at("field").get<std::string>(),
                            signature_from(i.at("signature"))});
    for (const auto& e : j.at("exports"))
      fb.exports.push_back({e.at("name").get<std::string>(), e.at("kind").get<std::string>(),
                            signature_from(e.at("signature")), e.at("value_type").get<std::string>()});
    fb.memory_max_pages = optional_from(j.at("memory_max_pages"));
    return fb;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::optional<StoredVariant> load_variant(ContentStore& store, const std::string& key,
                                          const std::string& input_file, bool with_fallback,
                                          Diagnostics& diags) {
  if (!store.enabled()) return std::nullopt;
  auto blobs = store.get(key, diags);
  if (!blobs || !blobs->count("engine.wasm") || !blobs->count("symbols.map") || !blobs->count("result.json"))
    return std::nullopt;
  StoredVariant v;
  const Bytes& result = (*blobs)["result.json"];
  if (!figures_from_json(std::string(result.begin(), result.end()), v.figures, v.lowering_costs))
    return std::nullopt;
  if (with_fallback) {
    if (!blobs->count("fallback.js") || !blobs->count("fallback.json")) return std::nullopt;
    const Bytes& interface = (*blobs)["fallback.json"];
    v.fallback = fallback_interface_from_json(std::string(interface.begin(), interface.end()));
    if (!v.fallback) return std::nullopt;
    const Bytes& code = (*blobs)["fallback.js"];
    v.fallback->code.assign(code.begin(), code.end());
  }
  if (!blobs->count("features.json")) return std::nullopt;
  const Bytes& features = (*blobs)["features.json"];
  auto uses = features_from_json(std::string(features.begin(), features.end()));
  if (!uses) return std::nullopt;
  for (const auto& u : *uses) v.engine_features.add(u.feature);
  // Trusted by hash: the streaming scan only, no wabt read and validation (see StoredVariant).
  Diagnostics quiet;
  v.engine.file = input_file + " (as shipped)";
  v.engine.bytes = std::move((*blobs)["engine.wasm"]);
  auto scan = scan_module(v.engine.file, v.engine.bytes.data(), v.engine.bytes.size(), ModuleLimits{}, quiet);
  if (!scan) return std::nullopt;
  v.engine.scan = std::move(*scan);
  const Bytes& map = (*blobs)["symbols.map"];
  v.symbol_map.assign(map.begin(), map.end());
  return v;
}

void store_variant(ContentStore& store, const std::string& key, const WasmModule& engine,
                   const std::string& symbol_map, const ModuleFigures& figures,
                   const std::vector<std::pair<Feature, int64_t>>& lowering_costs, const JsFallback* fallback,
                   const std::vector<FeatureUse>& engine_features, Diagnostics& diags) {
  if (!store.enabled()) return;
  std::string result = figures_to_json(figures, lowering_costs);
  std::string features = features_to_json(engine_features);
  Blobs blobs{{"engine.wasm", engine.bytes},
              {"features.json", Bytes(features.begin(), features.end())},
              {"symbols.map", Bytes(symbol_map.begin(), symbol_map.end())},
              {"result.json", Bytes(result.begin(), result.end())}};
  if (fallback) {
    std::string interface = fallback_interface_to_json(*fallback);
    blobs["fallback.js"] = Bytes(fallback->code.begin(), fallback->code.end());
    blobs["fallback.json"] = Bytes(interface.begin(), interface.end());
  }
  store.put(key, blobs, diags);
}

namespace {
std::string zstd_action_key(const std::string& sha, int level) {
  return ContentStore::action_key(
      "zstd", fmt::format("input={}\nlevel={}\nzstd={}\n", sha, level, ZSTD_versionString()));
}
}  // namespace

bool check_es5_cached(ContentStore& store, const std::string& name, const std::string& sha, const Bytes& text,
                      Diagnostics& diags) {
  // The checker is fleetpack's own (Duktape is embedded), so the version in the key covers it.
  const std::string key = ContentStore::action_key("es5-check", "input=" + sha + "\n");
  store.set_counting(false);  // the store's counters are about variants
  bool passed = store.enabled() && store.get_blob(key, diags).has_value();
  if (!passed) {
    Diagnostics local;
    passed = check_es5(name, std::string(text.begin(), text.end()), local);
    if (passed && local.all().empty() && store.enabled()) store.put_blob(key, Bytes{'1'}, diags);
    diags.append(local);
  }
  store.set_counting(true);
  return passed;
}

namespace {

/// SCHED_IDLE: the calling thread then runs only on a core nothing else wants. Beside Binaryen's workers
/// it takes no time from them (their parallel passes wait for their slowest thread, so a thread sharing
/// their cores slows them more than its own work), and it fills the gaps of their serial phases. Where
/// the policy is refused, the lowest priority a thread can take.
void run_only_when_idle() {
  sched_param none{};
  if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &none) != 0)
    setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
}

double cpu_seconds(clockid_t clock) {
  timespec t{};
  return clock_gettime(clock, &t) == 0 ? static_cast<double>(t.tv_sec) + t.tv_nsec / 1e9 : 0.0;
}

}  // namespace

/// The background thread's side of CompressedFiles: a queue in, results out, under one mutex. The thread
/// shares it (and each item's owner), so that a collection that stops waiting for a starved thread can
/// leave it behind safely (collect_background).
struct CompressedFiles::Background {
  struct Item {
    Request request;
    std::shared_ptr<const void> owner;  ///< keeps *request.bytes alive
  };
  std::mutex mutex;
  std::condition_variable wake, ended;
  std::deque<Item> queue;
  std::map<std::pair<std::string, int>, Bytes> results;
  std::vector<double> seconds;  // CPU seconds per compression, for the zstd stage (added on the main thread)
  bool stopping = false, exited = false;
  std::atomic<bool> cancel{false};
  std::thread thread;

  static void run(const std::shared_ptr<Background>& self) {
    run_only_when_idle();
    clockid_t clock{};
    pthread_getcpuclockid(pthread_self(), &clock);
    std::unique_lock<std::mutex> lock(self->mutex);
    for (;;) {
      self->wake.wait(lock, [&] { return self->stopping || !self->queue.empty(); });
      if (self->stopping) break;  // what it had not started is the caller's
      Item item = std::move(self->queue.front());
      self->queue.pop_front();
      lock.unlock();
      const double started = cpu_seconds(clock);  // CPU time: the thread waits for idle cores
      const Request& r = item.request;
      Bytes z = zstd_compress(r.bytes->data(), r.bytes->size(), r.level, 0, &self->cancel);  // pure
      const double s = cpu_seconds(clock) - started;
      item.owner.reset();
      lock.lock();
      if (z.empty()) continue;  // cancelled (or out of memory): the caller compresses it
      self->results[{r.sha, r.level}] = std::move(z);
      self->seconds.push_back(s);
    }
    self->exited = true;
    self->ended.notify_all();
  }

  /// Stops the thread after its current compression, waiting for that as long as the thread gets CPU
  /// time (it runs only on idle cores: under another process's load it may get none for seconds).
  /// Starved, the compression is cancelled and the thread left to end on its own; its result, if any
  /// came, is dropped and the caller compresses that file itself.
  void stop() {
    std::unique_lock<std::mutex> lock(mutex);
    queue.clear();
    stopping = true;
    wake.notify_all();
    clockid_t clock{};
    const bool measurable = pthread_getcpuclockid(thread.native_handle(), &clock) == 0;
    constexpr auto kSlice = std::chrono::milliseconds(20);
    while (!exited) {
      const double before = measurable ? cpu_seconds(clock) : 0;
      if (ended.wait_for(lock, kSlice, [this] { return exited; })) break;
      // Less than a quarter of a core over the slice: starved.
      if (!measurable || cpu_seconds(clock) - before < 0.25 * std::chrono::duration<double>(kSlice).count()) {
        cancel = true;
        break;
      }
    }
    if (exited) {
      lock.unlock();
      thread.join();
    } else {
      thread.detach();  // holds its own reference to this state and to its item's bytes
    }
  }
};

CompressedFiles::CompressedFiles(ContentStore& store, Diagnostics& diags) : store_(store), diags_(diags) {}

CompressedFiles::~CompressedFiles() {
  if (background_) background_->stop();
}

// The store's counters are about variants: compressed files are looked up and stored uncounted.
std::optional<Bytes> CompressedFiles::stored(const std::string& sha, int level) {
  if (!store_.enabled()) return std::nullopt;
  store_.set_counting(false);
  auto hit = store_.get_blob(zstd_action_key(sha, level), diags_);
  store_.set_counting(true);
  return hit;
}

void CompressedFiles::store(const std::string& sha, int level, const Bytes& z) {
  if (!store_.enabled() || z.empty()) return;
  store_.set_counting(false);
  store_.put_blob(zstd_action_key(sha, level), z, diags_);
  store_.set_counting(true);
}

void CompressedFiles::compress_in_background(const Request& r, std::shared_ptr<const void> owner) {
  if (done_.count({r.sha, r.level})) return;
  if (auto hit = stored(r.sha, r.level)) {
    done_[{r.sha, r.level}] = std::move(*hit);
    return;
  }
  if (!background_) {
    background_ = std::make_shared<Background>();
    background_->thread = std::thread(&Background::run, background_);
  }
  {
    std::lock_guard<std::mutex> lock(background_->mutex);
    for (const Background::Item& q : background_->queue)
      if (q.request.sha == r.sha && q.request.level == r.level) return;
    if (background_->results.count({r.sha, r.level})) return;
    background_->queue.push_back({r, std::move(owner)});
  }
  background_->wake.notify_one();
}

void CompressedFiles::collect_background() {
  if (!background_) return;
  std::shared_ptr<Background> b = std::move(background_);
  b->stop();  // what it had not started is left to the caller's get or prefetch
  std::lock_guard<std::mutex> lock(b->mutex);  // a thread left behind may still be running
  for (auto& [key, z] : b->results) {
    store(key.first, key.second, z);
    done_[key] = std::move(z);
  }
  b->results.clear();
  if (timings_)
    for (double s : b->seconds) timings_->add(kZstdStage, s);
}

const Bytes& CompressedFiles::get(const std::string& sha, const Bytes& bytes, int level) {
  collect_background();
  auto [it, inserted] = done_.try_emplace({sha, level});
  if (!inserted) return it->second;
  if (auto hit = stored(sha, level)) return it->second = std::move(*hit);
  {
    BuildTimings::Scope timed(timings_, kZstdStage);
    it->second = zstd_compress(bytes.data(), bytes.size(), level);
  }
  store(sha, level, it->second);
  return it->second;
}

void CompressedFiles::prefetch(const std::vector<Request>& requests, int threads) {
  collect_background();
  // What is neither done nor stored, largest first (the longest jobs start first).
  std::vector<const Request*> todo;
  for (const Request& r : requests) {
    auto [it, inserted] = done_.try_emplace({r.sha, r.level});
    if (!inserted) continue;
    if (auto hit = stored(r.sha, r.level))
      it->second = std::move(*hit);
    else
      todo.push_back(&r);
  }
  std::stable_sort(todo.begin(), todo.end(),
                   [](const Request* a, const Request* b) { return a->bytes->size() > b->bytes->size(); });
  {
    // Each thread takes the next request; zstd_compress is a pure function of its arguments.
    BuildTimings::Scope timed(timings_, kZstdStage);
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i; (i = next.fetch_add(1)) < todo.size();) {
        const Request& r = *todo[i];
        done_.find({r.sha, r.level})->second = zstd_compress(r.bytes->data(), r.bytes->size(), r.level);
      }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < std::min<int>(threads, static_cast<int>(todo.size())); ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
  }
  for (const Request* r : todo) store(r->sha, r->level, done_.find({r->sha, r->level})->second);
}

}  // namespace fleetpack
