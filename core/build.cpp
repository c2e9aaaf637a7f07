#include "core/build.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "base/hash.h"
#include "base/suggest.h"
#include "base/zstd_codec.h"
#include "core/build_cache.h"
#include "core/config.h"
#include "core/plan.h"
#include "core/release.h"
#include "passes/check_budgets.h"
#include "passes/registry.h"
#include "profiles/device_map.h"
#include "profiles/profile_loader.h"
#include "targets/target.h"

namespace fleetpack {

namespace {

/// Runs the steps of one stage in order; stops at the first step that fails.
bool run_pipeline(StepStage stage, StepContext& ctx) {
  for (const StepInfo* step : default_pipeline(stage))
    if (!step->run(ctx)) return false;
  return true;
}

/// Settles what to build from the config file and the flags (flags win).
std::optional<BuildConfig> settle_config(const BuildOptions& o, Diagnostics& diags) {
  BuildConfig c;
  if (o.config) {
    auto loaded = load_build_config(*o.config, diags);
    if (!loaded) return std::nullopt;
    c = std::move(*loaded);
  } else {
    c.out = "dist";
    c.js_root = ".";
    c.version = "0.0.0";
  }
  if (o.engine) c.engine = *o.engine;
  if (!o.js.empty()) {
    c.js = o.js;
    c.js_root = ".";
  }
  if (!o.profiles.empty()) {
    c.select = o.profiles;
    c.select_from_flags = true;
    c.select_where.clear();
  }
  for (const auto& d : o.profile_dirs) c.profile_dirs.push_back(d);
  if (o.out) c.out = *o.out;
  if (o.devices) c.devices = *o.devices;
  if (o.version) c.version = *o.version;
  if (o.app) c.app = *o.app;
  if (c.engine.empty()) {
    diags.error(ErrorKind::Usage, Location{}, "no engine module given",
                "pass --config fleetpack.yaml, or --engine M.wasm with --profile ID");
    return std::nullopt;
  }
  if (c.app.empty()) c.app = c.engine.stem().string();
  return c;
}

/// The selected profiles, in selection order, each once.
std::vector<const Profile*> select_profiles(const BuildConfig& c, const ProfileCatalog& catalog,
                                            const DeviceMap* devices, Diagnostics& diags) {
  // Which profiles: --profile flags; else, with a device map, the profiles the fleet's devices use; else
  // the config's `select:`; else every user profile.
  std::vector<std::string> ids = c.select;
  if (devices && !c.select_from_flags) {
    ids.clear();
    for (const auto& e : devices->entries)
      if (std::find(ids.begin(), ids.end(), e.profile) == ids.end()) ids.push_back(e.profile);
  }
  if (ids.empty()) {
    for (const auto& [id, p] : catalog.all())
      if (p.file.rfind("<catalog>/", 0) != 0) ids.push_back(id);
  }
  if (ids.empty()) {
    diags.error(ErrorKind::Usage, Location{}, "no profile selected",
                "pass --profile ID (`fleetpack profiles list` shows the ids), list ids under `select:` in "
                "fleetpack.yaml, or give a device map");
    return {};
  }
  std::vector<const Profile*> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    const Profile* p = catalog.find(id);
    if (!p) {
      Location where = i < c.select_where.size() ? c.select_where[i] : Location{};
      diags.error(
          ErrorKind::Usage, where, fmt::format("unknown profile '{}'{}", id, did_you_mean(id, catalog.ids())),
          fmt::format("known ids include: {}", fmt::join(closest_matches(id, catalog.ids(), 8), ", ")));
      continue;
    }
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  return out;
}

/// Path of an app file inside the bundle: relative to the JS root, '/'-separated, never escaping it.
std::string logical_path(const fs::path& file, const fs::path& root) {
  fs::path rel = file.lexically_normal().lexically_relative(root.lexically_normal());
  std::string s = rel.generic_string();
  if (rel.empty() || rel.is_absolute() || s.rfind("..", 0) == 0) return file.filename().string();
  return s;
}

}  // namespace

namespace {

/// Everything the build knows before the slow work: settings, profiles, inputs, features, the plan.
/// Held by pointer: the plan points into the catalog.
struct Prepared {
  explicit Prepared(Diagnostics& d) : shared(d) {}
  BuildConfig config;
  ProfileCatalog catalog;
  std::optional<DeviceMap> devices;
  std::vector<const Profile*> profiles;
  std::vector<AppFile> app_files;
  StepContext shared;  ///< the engine, validated, with its features
  FeatureSet engine_features;
  Plan plan;
};

/// Load (config, profiles, device map, inputs), validate, detect features, plan. nullptr after errors;
/// every error of the loading phase is reported before stopping.
/// With a store, an input validated before is not validated again (core/build_cache.h: ensure_validated).
std::unique_ptr<Prepared> prepare(const BuildOptions& options, Diagnostics& diags, bool need_engine = true,
                                  ContentStore* store = nullptr) {
  auto config = settle_config(options, diags);
  if (!config) return nullptr;
  auto pr = std::make_unique<Prepared>(diags);
  pr->config = std::move(*config);
  pr->catalog = load_profiles(pr->config.profile_dirs, diags);
  if (!diags.has_errors() && !pr->config.devices.empty())
    pr->devices = load_device_map(pr->config.devices, pr->catalog, diags);
  if (!need_engine) return diags.has_errors() ? nullptr : std::move(pr);
  if (!diags.has_errors())
    pr->profiles = select_profiles(pr->config, pr->catalog, pr->devices ? &*pr->devices : nullptr, diags);
  auto engine_bytes = read_file(pr->config.engine, diags);
  for (const auto& js : pr->config.js) {
    if (auto b = read_file(js, diags, 256 << 20))
      pr->app_files.push_back({logical_path(js, pr->config.js_root), std::move(*b)});
  }
  if (diags.has_errors()) return nullptr;

  pr->shared.input_file = pr->config.engine.string();
  pr->shared.input_bytes = std::move(*engine_bytes);
  bool inspected = store ? validate_and_detect_cached(*store, pr->shared)
                         : run_validate(pr->shared) && run_detect_features(pr->shared);
  if (!inspected) return nullptr;
  for (const auto& u : pr->shared.input_features) pr->engine_features.add(u.feature);

  PlanInputs inputs{
      sha256_hex(pr->shared.input_bytes.data(), pr->shared.input_bytes.size()), pr->engine_features, {}};
  for (const auto& f : pr->app_files)
    inputs.app_files.push_back(f.logical_path + " " + sha256_hex(f.bytes.data(), f.bytes.size()));
  pr->plan = make_plan(pr->profiles, inputs);
  return pr;
}

}  // namespace

std::optional<std::string> render_build_plan(const BuildOptions& options, bool json, Diagnostics& diags) {
  auto pr = prepare(options, diags);
  if (!pr) return std::nullopt;
  return render_plan(pr->plan, json, pr->devices ? &*pr->devices : nullptr);
}

std::optional<std::string> explain_device(const BuildOptions& options, const std::string& model,
                                          Diagnostics& diags) {
  auto pr = prepare(options, diags, /*need_engine=*/false);
  if (!pr) return std::nullopt;
  if (!pr->devices) {
    diags.error(ErrorKind::Usage, Location{}, "no device map given",
                "pass --devices FILE, or name the CSV under `devices:` in fleetpack.yaml");
    return std::nullopt;
  }
  const DeviceEntry* e = pr->devices->find(model);
  if (!e) {
    std::vector<std::string> models;
    models.reserve(pr->devices->entries.size());
    for (const auto& d : pr->devices->entries) models.push_back(d.model);
    diags.error(ErrorKind::Usage, Location::file_only(pr->devices->file),
                fmt::format("device '{}' is not in the device map{}", model, did_you_mean(model, models)),
                "add a line `MODEL,PROFILE` to the device map");
    return std::nullopt;
  }
  std::string out = fmt::format("{} -> profile '{}'\n  mapped at {}\n", model, e->profile,
                                format_location(Location::text(pr->devices->file, e->line, 0)));
  for (const Profile* p = pr->catalog.find(e->profile); p;
       p = p->extends.empty() ? nullptr : pr->catalog.find(p->extends))
    out += fmt::format("  profile '{}' defined in {}{}\n", p->id, p->file,
                       p->extends.empty() ? "" : fmt::format(", extends '{}'", p->extends));
  return out;
}

BuildResult run_build(const BuildOptions& options, Diagnostics& diags) {
  BuildResult result;
  result.write_requested = options.write_release;
  auto report = [&options](const std::string& what) {
    if (options.progress) options.progress(what);
  };
  report("loading profiles and validating the engine");
  ContentStore store(options.cache);  // the content store (core/build_cache.h)
  auto pr = prepare(options, diags, /*need_engine=*/true, &store);
  {
    // Report what is known even when preparing failed, so the report names app and version.
    auto config = pr ? std::optional<BuildConfig>(pr->config) : std::nullopt;
    if (!config) {
      Diagnostics quiet;
      config = settle_config(options, quiet);
    }
    if (!config) return result;
    result.app = config->app;
    result.version = config->version;
    result.engine = config->engine.string();
    result.release_dir = config->out / config->app / config->version;
  }
  if (!pr) return result;
  auto& shared = pr->shared;
  auto& profiles = pr->profiles;
  auto& plan = pr->plan;
  auto& app_files = pr->app_files;
  result.engine_features = pr->engine_features;
  result.variant_count = plan.variants.size();

  // A wasm variant whose engine is stored skips both stages; the input is validated only if one is not.
  std::map<std::string, std::string> store_key;     // variant key -> its action key
  std::map<std::string, StoredVariant> from_store;  // by variant key
  for (const Variant& v : plan.variants) {
    if (!store.enabled() || v.profiles.front()->target != "wasm") continue;
    store_key[v.key] = variant_action_key(v, pr->config.init);
    if (auto sv = load_variant(store, store_key[v.key], shared.input_file, diags))
      from_store.emplace(v.key, std::move(*sv));
  }
  if (from_store.size() < plan.variants.size() && !ensure_validated(shared)) return result;

  // Shared stage, part 2: optimize once per distinct level that an optimize-first variant needs, up to
  // --jobs Binaryen workers at a time.
  std::map<std::string, std::unique_ptr<StepContext>> by_level;
  for (const Variant& v : plan.variants) {
    const Profile* p = v.profiles.front();
    if (p->target != "wasm" || p->optimize_order != "optimize-first" || by_level.count(p->optimize_level) ||
        from_store.count(v.key))
      continue;
    auto ctx = std::make_unique<StepContext>(diags);
    ctx->input_file = shared.input_file;
    ctx->module = shared.module;
    ctx->input_features = shared.input_features;
    ctx->optimize_level = p->optimize_level;
    // Messages name every profile that needs this level: they all fail with it.
    for (const Profile* q : profiles)
      if (q->optimize_level == p->optimize_level && q->target == "wasm" &&
          q->optimize_order == "optimize-first")
        ctx->profiles_sharing.push_back(q->id);
    by_level[p->optimize_level] = std::move(ctx);
  }
  std::vector<StepContext*> shared_batch;
  for (auto& [level, ctx] : by_level) shared_batch.push_back(ctx.get());
  report(fmt::format("optimizing with Binaryen at {} level(s), {} worker(s) at a time", shared_batch.size(),
                     options.jobs));
  std::vector<bool> shared_ok = run_optimize_batch_cached(store, shared_batch, options.jobs);
  std::map<std::string, const WasmModule*> optimized;  // by optimize level; null when it failed
  for (size_t i = 0; i < shared_batch.size(); ++i)
    optimized[shared_batch[i]->optimize_level] = shared_ok[i] ? &*shared_batch[i]->module : nullptr;

  // Per variant: lower, check, strip, measure. A lower-first variant lowers the input itself and then gets
  // its own Binaryen run with just the features left (smaller, many times slower for a fleet).
  struct Built {
    bool ok = false;
    ModuleFigures figures;
    std::vector<std::pair<Feature, int64_t>> costs;
    std::optional<WasmModule> engine;  ///< as shipped
    std::string symbol_map;
  };
  std::map<std::string, Built> built;  // by variant key
  std::vector<std::pair<const Variant*, std::unique_ptr<StepContext>>> ready, lower_first;
  for (const Variant& v : plan.variants) {
    if (auto it = from_store.find(v.key); it != from_store.end()) {
      Built& b = built[v.key];
      b.ok = true;
      b.figures = it->second.figures;
      b.costs = it->second.lowering_costs;
      b.engine = std::move(it->second.engine);
      b.symbol_map = std::move(it->second.symbol_map);
      continue;
    }
    auto ctx = std::make_unique<StepContext>(diags);
    ctx->profile = v.profiles.front();  // every profile of the variant has the same output settings
    for (const Profile* p : v.profiles) ctx->profiles_sharing.push_back(p->id);
    if (ctx->profile->target != "wasm") {
      diags.error(
          ErrorKind::CheckFailed, Location::file_only(ctx->profile->file),
          fmt::format("{}: target '{}' needs the JS fallback (wasm2js and the loader), which this version of "
                      "fleetpack does not build yet",
                      ctx->subject(), ctx->profile->target),
          "select profiles with `target: wasm` for now");
      continue;
    }
    ctx->input_file = shared.input_file;
    ctx->input = shared.input;
    ctx->input_features = shared.input_features;
    ctx->zstd_level = ctx->profile->zstd_level;
    ctx->init = pr->config.init;
    ctx->optimize_level = ctx->profile->optimize_level;
    if (ctx->profile->optimize_order == "lower-first") {
      ctx->module = shared.module;
      bool lowered = true;
      for (const StepInfo& step : all_steps())
        if (std::string(step.name).rfind("lower-", 0) == 0 && !step.run(*ctx)) lowered = false;
      if (!lowered) continue;
      FeatureSet left;
      for (const auto& u : detect_features(*ctx->module)) left.add(u.feature);
      ctx->optimize_features = left;
      lower_first.emplace_back(&v, std::move(ctx));
      continue;
    }
    const WasmModule* opt = optimized[ctx->optimize_level];
    if (!opt) continue;
    ctx->module = *opt;
    ready.emplace_back(&v, std::move(ctx));
  }
  std::vector<StepContext*> lower_first_batch;
  for (auto& [v, ctx] : lower_first) lower_first_batch.push_back(ctx.get());
  std::vector<bool> lower_first_ok = run_optimize_batch_cached(store, lower_first_batch, options.jobs);
  for (size_t i = 0; i < lower_first.size(); ++i)
    if (lower_first_ok[i]) ready.push_back(std::move(lower_first[i]));
  size_t done = 0;
  for (auto& [v, ctx] : ready) {
    report(fmt::format("variant {}/{} ({}): lowering, checking, stripping, measuring", ++done, ready.size(),
                       v->key.substr(0, 12)));
    Built& b = built[v->key];
    if (run_pipeline(StepStage::PerVariant, *ctx)) {
      if (store_key.count(v->key)) store_variant(store, store_key[v->key], *ctx);
      b.ok = true;
      b.figures = ctx->figures;
      b.costs = ctx->lowering_costs;
      b.engine = std::move(ctx->module);
      b.symbol_map = std::move(ctx->symbol_map);
    }
  }

  result.cache_enabled = store.enabled();
  result.cache = store.counters();
  store.record_counters();

  // One row per profile, in selection order.
  std::map<const Profile*, const Variant*> variant_of;
  for (const Variant& v : plan.variants)
    for (const Profile* p : v.profiles) variant_of[p] = &v;
  // The app JS figures depend only on the zstd level: compress each file once per level, not per profile.
  auto by_size = [](const Contributor& a, const Contributor& c) { return a.bytes > c.bytes; };
  std::vector<Contributor> js_raw;
  for (const auto& f : app_files) js_raw.push_back({f.logical_path, f.bytes.size()});
  std::stable_sort(js_raw.begin(), js_raw.end(), by_size);
  std::map<int, std::vector<Contributor>> js_zstd_by_level;
  auto js_zstd = [&](int level) -> const std::vector<Contributor>& {
    auto [it, inserted] = js_zstd_by_level.try_emplace(level);
    if (inserted) {
      for (const auto& f : app_files)
        it->second.push_back({f.logical_path, zstd_compress(f.bytes.data(), f.bytes.size(), level).size()});
      std::stable_sort(it->second.begin(), it->second.end(), by_size);
    }
    return it->second;
  };
  for (const Profile* p : profiles) {
    const Variant* v = variant_of[p];
    const Built& b = built[v->key];
    BuildRow row;
    row.profile = p->id;
    row.optimize_level = p->optimize_level;
    row.profile_features = p->features;
    row.variant = v->key.substr(0, 12);
    row.input_bytes = shared.input_bytes.size();
    row.ok = b.ok;
    if (b.ok) {
      row.optimized_bytes = b.figures.wasm_bytes;
      row.zstd_bytes = b.figures.wasm_zstd_bytes;
      row.lowering_costs = b.costs;
      // check-budgets: per profile, since profiles of one variant may budget differently.
      BudgetInputs in{*p, b.figures, js_raw, js_zstd(p->zstd_level)};
      row.figures = compute_figures(in);
      row.budgets_ok = check_budgets(in, diags, row.budgets);
    }
    result.rows.push_back(row);
  }
  if (diags.has_errors() || !options.write_release) return result;

  // Each variant's files once (profiles of a variant share them), then the release in one rename.
  ReleaseInput release{result.app, result.version, {}, {}, pr->devices ? &*pr->devices : nullptr};
  std::map<std::string, std::shared_ptr<const TargetOutput>> outputs;  // by variant key
  for (const Profile* p : profiles) {
    const Variant* v = variant_of[p];
    auto& out = outputs[v->key];
    if (!out) {
      const TargetInfo* target = find_target(p->target);
      TargetInput in{*p, &*built[v->key].engine, nullptr, app_files};
      auto emitted = target->emit(in, diags);
      if (!emitted) return result;
      out = std::make_shared<const TargetOutput>(std::move(*emitted));
    }
    release.bundles.push_back({p, v->key, p->target, out});
  }
  for (const auto& [key, b] : built)
    if (b.ok && !b.symbol_map.empty())
      release.symbol_maps[sha256_hex(b.engine->bytes.data(), b.engine->bytes.size())] = b.symbol_map;
  result.published = write_release(release, result.release_dir, diags);
  return result;
}

}  // namespace fleetpack
