#include "core/build.h"

#include <algorithm>
#include <deque>
#include <map>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <fmt/format.h>

#include "base/hash.h"
#include "base/semver.h"
#include "base/suggest.h"
#include "base/zstd_codec.h"
#include "core/build_cache.h"
#include "core/config.h"
#include "core/plan.h"
#include "core/release.h"
#include "core/release_tree.h"
#include "passes/check_budgets.h"
#include "passes/registry.h"
#include "passes/wasm2js.h"
#include "profiles/device_map.h"
#include "profiles/profile_loader.h"
#include "targets/fallback_script.h"
#include "targets/target.h"

namespace fleetpack {

namespace {

/// Gives the heap's free pages back to the system. A wabt IR of a 1 MB module is tens of MiB of small
/// allocations; glibc keeps them after they are freed, so without this the process stays at the size of
/// its largest IR, and every Binaryen worker forked from it inherits that (DESIGN.md: peak memory).
void release_free_memory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// Runs one step, its wall time counted under its name.
bool run_step(const StepInfo& step, StepContext& ctx, BuildTimings* timings) {
  if (step.applies && !step.applies(ctx)) return true;  // nothing to do: not counted as a run
  BuildTimings::Scope timed(timings, step.name);
  return step.run(ctx);
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
  if (o.version) {
    c.version = *o.version;
    if (!is_semver(c.version)) {
      diags.error(ErrorKind::Usage, Location{}, fmt::format("version '{}' is not semver", c.version),
                  "pass --version MAJOR.MINOR.PATCH, e.g. 1.4.0 or 1.4.0-rc.1+build.7");
      return std::nullopt;
    }
  } else if (c.version.empty()) {  // a config without `version:`: the commit's tag
    auto v = version_from_git(o.config ? o.config->parent_path() : fs::path("."), diags);
    if (!v) return std::nullopt;
    c.version = *v;
  }
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

/// A JS fallback being made: its wasm2js run goes on in the background (passes/wasm2js.h) while the build
/// does other variants; the variants that ship it get it before their bundles are written.
struct FallbackJob {
  std::shared_ptr<PendingWasm2js> pending;     ///< until finished
  std::shared_ptr<const JsFallback> fallback;  ///< once finished; null if wasm2js failed
};

/// Starts wasm2js on a fallback context's module (its steps before wasm2js have run), timed apart.
std::shared_ptr<FallbackJob> start_fallback(const StepContext& ctx, BuildTimings* timings) {
  BuildTimings::Scope timed(timings, "wasm2js (preparing its input)");
  auto pending = start_wasm2js(ctx);
  if (!pending) return nullptr;
  return std::make_shared<FallbackJob>(FallbackJob{std::move(pending), nullptr});
}

/// Lowered modules by (the module the lowerings started from, the lower-* steps run so far): the groups of
/// a level whose lowered features share a prefix in pipeline order lower it once (chrome74's trunc_sat and
/// bulk memory are mvp's first two lowerings, and a js group's lowerings are mvp's). A lowering depends only
/// on its input module and its feature; failures are not kept, so each group reports its own.
struct LoweringMemo {
  struct Lowered {
    std::shared_ptr<const WasmModule> module;
    int64_t cost = 0;
  };
  std::map<std::pair<const WasmModule*, std::string>, Lowered> done;
  void forget(const WasmModule* source) {
    for (auto it = done.begin(); it != done.end();) it = it->first.first == source ? done.erase(it) : ++it;
  }
};

/// Runs `step` in `ctx`, a lower-* step through `memo` when the context started from `source` (null: no
/// memo). `lowered` is the lower-* steps run so far in this context.
bool run_step_memo(const StepInfo& step, StepContext& ctx, BuildTimings* timings, LoweringMemo* memo,
                   const WasmModule* source, std::string& lowered) {
  const std::string name = step.name;
  const bool lowering = name.rfind("lower-", 0) == 0 && parse_feature(name.substr(6));
  if (!lowering || !memo || !source || (step.applies && !step.applies(ctx)))
    return run_step(step, ctx, timings);
  auto key = std::make_pair(source, lowered + name + "\n");
  if (auto it = memo->done.find(key); it != memo->done.end()) {
    ctx.module = *it->second.module;
    ctx.lowering_ir.reset();  // another module's IR now
    ctx.lowering_costs.push_back({*parse_feature(name.substr(6)), it->second.cost});
    lowered = key.second;
    return true;
  }
  if (!run_step(step, ctx, timings)) return false;
  memo->done[key] = {std::make_shared<const WasmModule>(*ctx.module), ctx.lowering_costs.back().second};
  lowered = key.second;
  return true;
}

/// Runs the per-variant steps in `ctx` (started from `source`, see LoweringMemo); for a fallback context
/// (target js), wasm2js is started in the background, into `job`, instead of being waited for.
bool run_variant_steps(StepContext& ctx, BuildTimings* timings, std::shared_ptr<FallbackJob>& job,
                       LoweringMemo* memo, const WasmModule* source) {
  std::string lowered;
  for (const StepInfo* step : default_pipeline(StepStage::PerVariant)) {
    if (std::string(step->name) == "wasm2js" && ctx.build_fallback) {
      job = start_fallback(ctx, timings);
      return job != nullptr;
    }
    if (!run_step_memo(*step, ctx, timings, memo, source, lowered)) return false;
  }
  return true;
}

/// A JS fallback made from `source`: lowered to what wasm2js translates, checked, stripped, translated.
/// `source` is the optimized module of the variant's level (the same for every fallback at that level and
/// strip policy, so they are built once), or for a lower-first variant its own module before strip.
/// Messages name the `serving` profiles. Null when a step failed (it reported why); wasm2js itself runs in
/// the background.
std::shared_ptr<FallbackJob> build_fallback(const StepContext& like, const WasmModule& source,
                                            const Profile* fallback_profile, std::vector<std::string> serving,
                                            BuildTimings* timings, LoweringMemo* memo) {
  StepContext ctx(like.diags);
  ctx.input_file = like.input_file;
  ctx.input = like.input;
  ctx.input_features = like.input_features;
  ctx.profiles_sharing = std::move(serving);
  ctx.module = source;
  ctx.profile = fallback_profile;
  ctx.build_fallback = true;
  std::string lowered;
  for (const StepInfo* step : default_pipeline(StepStage::PerVariant)) {
    const std::string name = step->name;
    if (name.rfind("measure", 0) == 0) continue;  // the figures are the shipped module's
    if (name == "wasm2js") return start_fallback(ctx, timings);
    if (!run_step_memo(*step, ctx, timings, memo, &source, lowered)) return nullptr;
  }
  return nullptr;  // no wasm2js step: a fleetpack bug
}

/// A file the JS budget figures count: every .js and .mjs a bundle ships.
bool is_js_path(const std::string& path) {
  auto ends_with = [&path](const char* suffix) {
    const size_t n = std::char_traits<char>::length(suffix);
    return path.size() > n && path.compare(path.size() - n, n, suffix) == 0;
  };
  return ends_with(".js") || ends_with(".mjs");
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
    if (auto b = read_file(js, diags, 256 << 20)) {
      std::string sha = sha256_hex(b->data(), b->size());
      pr->app_files.push_back(
          {logical_path(js, pr->config.js_root), std::move(*b), js.string(), std::move(sha)});
    }
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
  for (const auto& f : pr->app_files) inputs.app_files.push_back(f.logical_path + " " + f.sha256);
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
  BuildTimings* timings = &result.timings;
  ContentStore store(options.cache);  // the content store (core/build_cache.h)
  std::unique_ptr<Prepared> pr;
  {
    BuildTimings::Scope timed(timings, "load, validate, detect features, plan");
    pr = prepare(options, diags, /*need_engine=*/true, &store);
  }
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
  // A signing key that cannot be read fails the build before the slow work, not after it.
  if (auto key = options.sign_key ? options.sign_key : pr->config.signing_key;
      key && options.write_release && !load_secret_key(*key, diags))
    return result;
  auto& shared = pr->shared;
  auto& profiles = pr->profiles;
  auto& plan = pr->plan;
  auto& app_files = pr->app_files;
  result.engine_features = pr->engine_features;
  result.variant_count = plan.variants.size();

  // A variant whose engine (and JS fallback) is stored skips both stages; the input is validated only if
  // one is not.
  std::map<std::string, std::string> store_key;     // variant key -> its action key
  std::map<std::string, StoredVariant> from_store;  // by variant key
  for (const Variant& v : plan.variants) {
    if (!store.enabled()) continue;
    store_key[v.key] = variant_action_key(v, pr->config.init);
    if (auto sv = load_variant(store, store_key[v.key], shared.input_file,
                               v.profiles.front()->target != "wasm", diags))
      from_store.emplace(v.key, std::move(*sv));
  }
  if (from_store.size() < plan.variants.size() && !ensure_validated(shared)) return result;
  release_free_memory();  // before the Binaryen workers are forked

  // Shared stage, part 2: optimize once per distinct level that an optimize-first variant needs, up to
  // --jobs Binaryen workers at a time.
  std::map<std::string, std::unique_ptr<StepContext>> by_level;
  for (const Variant& v : plan.variants) {
    const Profile* p = v.profiles.front();
    if (p->optimize_order != "optimize-first" || by_level.count(p->optimize_level) || from_store.count(v.key))
      continue;
    auto ctx = std::make_unique<StepContext>(diags);
    ctx->input_file = shared.input_file;
    ctx->module = shared.module;
    ctx->input_features = shared.input_features;
    ctx->optimize_level = p->optimize_level;
    // Messages name every profile that needs this level: they all fail with it.
    for (const Profile* q : profiles)
      if (q->optimize_level == p->optimize_level && q->optimize_order == "optimize-first")
        ctx->profiles_sharing.push_back(q->id);
    by_level[p->optimize_level] = std::move(ctx);
  }
  // Per variant: lower, check, strip, measure. A lower-first variant lowers the input itself and then gets
  // its own Binaryen run with just the features left (smaller, many times slower for a fleet).
  // Variants whose engine comes out the same share one run of these steps (a "group": optimize-first, the
  // same level, the same lowered features, the same strip policy, JS-fallback-only or not): they differ
  // only in settings the steps do not read (zstd level, budgets, target files), so each variant of a group
  // costs one zstd figure, not a lowering, a strip and a wabt validation of its own. Each group's context
  // is released as soon as its results are moved out, and each optimized module once its last group ran.
  struct Built {
    bool ok = false;
    ModuleFigures figures;
    std::vector<std::pair<Feature, int64_t>> costs;
    /// As shipped (for target js: the module the fallback is made of); shared by the variants of a group.
    std::shared_ptr<const WasmModule> engine;
    std::shared_ptr<const std::string> symbol_map;
    std::shared_ptr<const JsFallback> fallback;  ///< targets js and auto
    std::shared_ptr<FallbackJob> fallback_job;   ///< until the fallback is finished (see FallbackJob)
    FeatureSet engine_features;                  ///< what `engine` uses
  };
  // A fallback's module is lowered to what wasm2js translates: the lower-* steps read that from a copy of
  // the profile (passes/wasm2js.cpp).
  std::deque<Profile> fallback_profiles;
  auto fallback_profile = [&fallback_profiles](const Profile& p) -> const Profile* {
    fallback_profiles.push_back(p);
    fallback_profiles.back().features = wasm2js_features();
    return &fallback_profiles.back();
  };
  std::map<std::string, Built> built;        // by variant key
  CompressedFiles compressed(store, diags);  // each (file, zstd level) once, kept in the store
  compressed.time_into(timings);
  // Each variant's zstd figure of its engine is computed apart from its group (one zstd -19 of a 1 MB
  // engine is a quarter of a Binaryen run, and a fleet has more distinct engines than levels): on a
  // background thread as groups are done, and what is left after every group ran in parallel. measure
  // records 0, and these variants get their figure, then go to the store.
  struct PendingFigure {
    const Variant* variant;
    std::shared_ptr<const std::vector<FeatureUse>> uses;  ///< what its engine uses, for the store
  };
  std::vector<PendingFigure> pending_figures;
  // What the per-variant steps read of a variant's settings; equal texts give the same engine. Within a
  // level, `js` groups sort first: their fallback is then ready for the `auto` groups of that level.
  auto group_of = [](const Variant& v) {
    const Profile& p = *v.profiles.front();
    const bool js = p.target == "js";  // lowered to what wasm2js translates, whatever the profile's VM has
    return fmt::format("{}\n{}\n{}lowered={}\nkeep={}\n", p.optimize_order, p.optimize_level, js ? 0 : 1,
                       js ? "wasm2js" : v.lowered.to_string(), fmt::join(p.strip_keep, ","));
  };
  // The JS fallbacks of optimize-first variants, one per (level, strip policy): made of that level's
  // optimized module (a `js` group's engine, or for `auto` variants the same module before their own
  // lowering), so every js and auto variant of a level shares one lowering for wasm2js, lower-traps and
  // wasm2js run, the slowest steps of a fleet after Binaryen's. Null once tried and failed.
  auto fallback_key = [](const Profile& p) {
    return fmt::format("{}\nkeep={}", p.optimize_level, fmt::join(p.strip_keep, ","));
  };
  std::map<std::string, std::shared_ptr<FallbackJob>> fallbacks;
  std::map<std::string, std::vector<std::string>> fallback_serving;  // profiles each fallback serves
  std::map<std::string, std::vector<const Variant*>> groups;         // optimize-first variants to build
  std::vector<std::pair<const Variant*, std::unique_ptr<StepContext>>> lower_first;
  // Stored variants that ship the same fallback share one object, as built ones do: their bundles then
  // share one engine.fallback.js, made and hashed once (10 MB for resvg) rather than once per variant.
  std::vector<std::shared_ptr<const JsFallback>> stored_fallbacks;
  auto stored_fallback = [&stored_fallbacks](JsFallback fb) {
    for (const auto& known : stored_fallbacks)
      if (known->code == fb.code && fallback_interface_to_json(*known) == fallback_interface_to_json(fb))
        return known;
    return stored_fallbacks.emplace_back(std::make_shared<const JsFallback>(std::move(fb)));
  };
  for (const Variant& v : plan.variants) {
    if (auto it = from_store.find(v.key); it != from_store.end()) {
      Built& b = built[v.key];
      b.ok = true;
      b.figures = it->second.figures;
      b.costs = it->second.lowering_costs;
      b.engine = std::make_shared<const WasmModule>(std::move(it->second.engine));
      b.symbol_map = std::make_shared<const std::string>(std::move(it->second.symbol_map));
      if (it->second.fallback) b.fallback = stored_fallback(std::move(*it->second.fallback));
      b.engine_features = it->second.engine_features;
      continue;
    }
    if (v.profiles.front()->optimize_order != "lower-first") {
      if (v.profiles.front()->target != "wasm")
        for (const Profile* p : v.profiles) fallback_serving[fallback_key(*p)].push_back(p->id);
      auto& members = groups[group_of(v)];
      members.push_back(&v);
      continue;
    }
  }
  // A context for the steps of `v` (for a group, its first variant), serving `serving` profiles.
  auto make_context = [&](const Variant& v, std::vector<std::string> serving) {
    auto ctx = std::make_unique<StepContext>(diags);
    ctx->profile = v.profiles.front();  // every profile of the variant has the same output settings
    ctx->profiles_sharing = std::move(serving);
    if (ctx->profile->target == "js") {  // no Wasm VM: the module only feeds wasm2js
      ctx->profile = fallback_profile(*ctx->profile);
      ctx->build_fallback = true;
      // Its fallback also serves the level's auto variants: failures name them too.
      if (v.profiles.front()->optimize_order != "lower-first")
        ctx->profiles_sharing = fallback_serving[fallback_key(*v.profiles.front())];
    }
    ctx->input_file = shared.input_file;
    ctx->input = shared.input;
    ctx->input_features = shared.input_features;
    ctx->zstd_level = ctx->profile->zstd_level;
    ctx->zstd_size = [](const Bytes&, int) -> uint64_t { return 0; };  // see PendingFigure
    ctx->init = pr->config.init;
    ctx->optimize_level = ctx->profile->optimize_level;
    return ctx;
  };
  std::map<const WasmModule*, std::string> sha_of;  // engines are shared by the variants of a group
  auto sha = [&sha_of](const WasmModule& m) -> const std::string& {
    auto [it, inserted] = sha_of.try_emplace(&m);
    if (inserted) it->second = sha256_hex(m.bytes.data(), m.bytes.size());
    return it->second;
  };
  // Runs the per-variant steps in `ctx` once for `members` and moves the results out of it: the shipped
  // module is shared, the zstd figure is each variant's own, an auto variant's fallback is built once.
  size_t done = 0, total = groups.size();
  LoweringMemo lowering_memo;  // a level's entries go with its optimized module
  auto build_group = [&](StepContext& ctx, const std::vector<const Variant*>& members,
                         const WasmModule* optimized_source) {
    const Variant& first = *members.front();
    const Profile& vp = *first.profiles.front();
    const bool shares_fallback = vp.optimize_order != "lower-first";
    report(fmt::format(
        "variant {}/{} ({}, target {}, {}, {} profile(s){}): lowering, checking, stripping, {}", ++done,
        total, first.key.substr(0, 12), vp.target, vp.optimize_level, ctx.profiles_sharing.size(),
        members.size() > 1 ? fmt::format(", {} variants", members.size()) : "",
        vp.target == "js" ? "starting wasm2js" : "measuring"));
    std::shared_ptr<FallbackJob> fallback;
    if (!run_variant_steps(ctx, timings, fallback, &lowering_memo, optimized_source)) {
      if (vp.target == "js" && shares_fallback) fallbacks.emplace(fallback_key(vp), nullptr);
      return;
    }
    auto engine = std::make_shared<const WasmModule>(std::move(*ctx.module));
    const auto uses = [&] {
      BuildTimings::Scope timed(timings, "detect-features (shipped engine)");
      return std::make_shared<const std::vector<FeatureUse>>(detect_features(*engine));
    }();
    FeatureSet engine_features;
    for (const auto& u : *uses) engine_features.add(u.feature);
    auto symbol_map = std::make_shared<const std::string>(std::move(ctx.symbol_map));
    if (vp.target == "js" && shares_fallback) fallbacks.emplace(fallback_key(vp), fallback);
    bool fallback_tried = static_cast<bool>(fallback);
    const ModuleFigures figures = ctx.figures;
    for (const Variant* v : members) {
      const Profile& p = *v->profiles.front();
      Built& b = built[v->key];
      if (p.target == "auto" && !fallback_tried) {
        fallback_tried = true;
        ctx.module.reset();
        const std::string key = fallback_key(p);
        if (!shares_fallback) {
          report(fmt::format("variant {}/{} ({}): JS fallback (lowering for wasm2js, starting wasm2js)", done,
                             total, v->key.substr(0, 12)));
          fallback = build_fallback(ctx, *ctx.before_strip, fallback_profile(p), ctx.profiles_sharing,
                                    timings, nullptr);
        } else if (auto it = fallbacks.find(key); it != fallbacks.end()) {
          fallback = it->second;  // made for a js group or another auto group of this level
        } else {
          report(fmt::format("variant {}/{} ({}): JS fallback (lowering for wasm2js, starting wasm2js)", done,
                             total, v->key.substr(0, 12)));
          fallback = build_fallback(ctx, *optimized_source, fallback_profile(p), fallback_serving[key],
                                    timings, &lowering_memo);
          fallbacks.emplace(key, fallback);
        }
      }
      const bool needs_fallback = p.target != "wasm";
      if (needs_fallback && !fallback) continue;
      b.ok = true;
      b.figures = figures;
      b.costs = ctx.lowering_costs;
      b.engine = engine;
      b.symbol_map = symbol_map;
      if (needs_fallback) b.fallback_job = fallback;
      b.engine_features = engine_features;
      pending_figures.push_back({v, uses});
      // Its zstd figure, on a background thread while the next groups are lowered.
      compressed.compress_in_background({sha(*engine), &engine->bytes, p.zstd_level}, engine);
    }
  };
  for (const Variant& v : plan.variants) {
    if (from_store.count(v.key) || v.profiles.front()->optimize_order != "lower-first") continue;
    std::vector<std::string> serving;
    for (const Profile* p : v.profiles) serving.push_back(p->id);
    auto ctx = make_context(v, std::move(serving));
    ctx->module = shared.module;
    bool lowered = true;
    for (const StepInfo& step : all_steps())
      if (std::string(step.name).rfind("lower-", 0) == 0 && !run_step(step, *ctx, timings)) lowered = false;
    if (!lowered) continue;
    FeatureSet left;
    for (const auto& u : detect_features(*ctx->module)) left.add(u.feature);
    ctx->optimize_features = left;
    lower_first.emplace_back(&v, std::move(ctx));
  }
  shared.module.reset();  // the input as Binaryen got it: lower-first variants have their copies
  total += lower_first.size();
  // The groups that make a JS fallback run as soon as their level's Binaryen run is done, while the other
  // levels' workers go on: their wasm2js runs start early and overlap the rest of the build (sh-syntax's
  // fleet with fallbacks: 3% faster). The other groups wait for a worker slot that stays free (no level
  // left to start): beside every worker they only take its cores (all groups early made sh-syntax's
  // Wasm-only fleet 2% slower), beside the last ones they fill the cores of their serial phases, with
  // their engines' zstd figures on the idle-priority thread (CompressedFiles). A level's optimized
  // module goes after its last group.
  auto run_level_groups = [&](const std::string& level, const WasmModule* opt, bool with_fallback) {
    for (auto& [group, members] : groups) {
      if (members.front()->profiles.front()->optimize_level != level) continue;
      bool needs = false;
      for (const Variant* v : members) needs = needs || v->profiles.front()->target != "wasm";
      if (needs != with_fallback || !opt) continue;
      std::vector<std::string> serving;
      for (const Variant* v : members)
        for (const Profile* p : v->profiles) serving.push_back(p->id);
      auto ctx = make_context(*members.front(), std::move(serving));
      ctx->module = *opt;
      build_group(*ctx, members, opt);
      ctx.reset();
      release_free_memory();
    }
  };
  std::vector<StepContext*> shared_batch;
  for (auto& [level, ctx] : by_level) shared_batch.push_back(ctx.get());
  report(fmt::format("optimizing with Binaryen at {} level(s), {} worker(s) at a time", shared_batch.size(),
                     options.jobs));
  release_free_memory();  // before the Binaryen workers are forked
  {
    // The Binaryen stage's time is the batch's, less what its levels' groups took meanwhile (their steps
    // are timed on their own).
    using Clock = std::chrono::steady_clock;
    const Clock::time_point batch_start = Clock::now();
    double in_groups = 0;
    size_t ended = 0;
    std::vector<bool> level_ok(shared_batch.size(), false), others_ran(shared_batch.size(), false);
    std::vector<bool> shared_ok =
        run_optimize_batch_cached(store, shared_batch, options.jobs, [&](size_t i, bool ok) {
          const Clock::time_point start = Clock::now();
          StepContext& level = *shared_batch[i];
          run_level_groups(level.optimize_level, ok ? &*level.module : nullptr, /*with_fallback=*/true);
          level_ok[i] = ok;
          const size_t running = shared_batch.size() - ++ended;
          if (running > 0 && running < static_cast<size_t>(std::max(1, options.jobs))) {
            for (size_t j = 0; j < shared_batch.size(); ++j) {
              if (!level_ok[j] || others_ran[j]) continue;
              others_ran[j] = true;
              run_level_groups(shared_batch[j]->optimize_level, &*shared_batch[j]->module,
                               /*with_fallback=*/false);
            }
          }
          in_groups += std::chrono::duration<double>(Clock::now() - start).count();
        });
    timings->add("optimize (Binaryen, one run per level)",
                 std::chrono::duration<double>(Clock::now() - batch_start).count() - in_groups);
    for (size_t i = 0; i < shared_batch.size(); ++i) {
      StepContext& level = *shared_batch[i];
      if (!others_ran[i])
        run_level_groups(level.optimize_level, shared_ok[i] ? &*level.module : nullptr,
                         /*with_fallback=*/false);
      if (level.module) lowering_memo.forget(&*level.module);
      level.module.reset();
      release_free_memory();
    }
  }
  std::vector<StepContext*> lower_first_batch;
  for (auto& [v, ctx] : lower_first) lower_first_batch.push_back(ctx.get());
  release_free_memory();  // before the Binaryen workers are forked
  std::vector<bool> lower_first_ok;
  {
    BuildTimings::Scope timed(timings, "optimize (Binaryen, lower-first variants)");
    lower_first_ok = run_optimize_batch_cached(store, lower_first_batch, options.jobs);
  }
  for (size_t i = 0; i < lower_first.size(); ++i) {
    auto& [v, ctx] = lower_first[i];
    if (lower_first_ok[i]) build_group(*ctx, {v}, nullptr);
    ctx.reset();
    release_free_memory();
  }
  {
    BuildTimings::Scope timed(timings, "measure (zstd figures of the engines)");
    std::vector<CompressedFiles::Request> requests;
    for (const PendingFigure& pf : pending_figures) {
      const Built& b = built[pf.variant->key];
      requests.push_back({sha(*b.engine), &b.engine->bytes, pf.variant->profiles.front()->zstd_level});
    }
    compressed.prefetch(requests, options.jobs);
  }
  // The fallbacks, after the engines' figures (which need none) so that those too ran beside wasm2js: every
  // run started above is waited for; its own run time is counted apart.
  {
    std::vector<FallbackJob*> running;
    for (auto& [key, b] : built)
      if (b.fallback_job && b.fallback_job->pending &&
          std::find(running.begin(), running.end(), b.fallback_job.get()) == running.end())
        running.push_back(b.fallback_job.get());
    if (!running.empty()) report(fmt::format("waiting for {} wasm2js run(s)", running.size()));
    BuildTimings::Scope timed(timings, "wasm2js (waiting for the background runs)");
    for (FallbackJob* job : running) {
      double seconds = 0;
      if (auto fb = finish_wasm2js(*job->pending, diags, &seconds))
        job->fallback = std::make_shared<const JsFallback>(std::move(*fb));
      job->pending.reset();
      timings->add(kWasm2jsStage, seconds);
    }
    for (auto& [key, b] : built) {
      if (!b.fallback_job) continue;
      b.fallback = b.fallback_job->fallback;
      b.ok = b.ok && b.fallback;  // failed: reported, naming every profile it serves
      b.fallback_job.reset();
    }
  }

  {
    BuildTimings::Scope stored(timings, "content store (variants)");
    for (const PendingFigure& pf : pending_figures) {
      Built& b = built[pf.variant->key];
      if (!b.ok) continue;
      const int level = pf.variant->profiles.front()->zstd_level;
      b.figures.wasm_zstd_bytes = compressed.get(sha(*b.engine), b.engine->bytes, level).size();
      if (auto k = store_key.find(pf.variant->key); k != store_key.end())
        store_variant(store, k->second, *b.engine, *b.symbol_map, b.figures, b.costs, b.fallback.get(),
                      *pf.uses, diags);
    }
  }

  result.cache_enabled = store.enabled();
  result.cache = store.counters();
  store.record_counters();

  std::map<const Profile*, const Variant*> variant_of;
  for (const Variant& v : plan.variants)
    for (const Profile* p : v.profiles) variant_of[p] = &v;

  // Each variant's files once (profiles of a variant share them), before the budgets: the loader and the
  // fallback count in the JS figures.
  report("writing the bundles and checking the budgets");
  std::optional<BuildTimings::Scope> stage_timed(std::in_place, timings, "targets (bundle files)");
  std::map<std::string, std::shared_ptr<const TargetOutput>> outputs;  // by variant key
  // One engine.fallback.js per fallback, however many bundles ship it.
  std::map<const JsFallback*, FallbackScript> fallback_scripts;
  for (const Variant& v : plan.variants) {
    const Built& b = built[v.key];
    if (!b.ok) continue;
    const Profile& p = *v.profiles.front();
    TargetInput in{p, &*b.engine, b.fallback ? &*b.fallback : nullptr, app_files, {}, pr->config.js_global};
    if (b.fallback) {
      auto it = fallback_scripts.find(b.fallback.get());
      if (it == fallback_scripts.end())
        it = fallback_scripts.emplace(b.fallback.get(), make_fallback_script(*b.fallback, in.global_name))
                 .first;
      in.fallback_script = &it->second;
      // Checked once for every es5 bundle shipping it (the target trusts es5_ok), through the store.
      FallbackScript& fs = it->second;
      if (p.js_level == "es5" && !fs.es5_ok)
        fs.es5_ok = check_es5_cached(
            store, fmt::format("{} (generated for profile '{}')", fs.file.logical_path, p.id), fs.file.sha256,
            fs.file.bytes, diags);
    }
    if (p.target != "js") in.engine_features = b.engine_features;
    auto emitted = find_target(p.target)->emit(in, diags);
    if (!emitted) continue;
    for (auto& f : emitted->files)  // hashed once here; the budgets and the release writer reuse it
      if (f.sha256.empty())
        f.sha256 = f.bytes == b.engine->bytes ? sha(*b.engine) : sha256_hex(f.bytes.data(), f.bytes.size());
    outputs[v.key] = std::make_shared<const TargetOutput>(std::move(*emitted));
  }

  stage_timed.emplace(timings, "budgets (JS figures, checks)");
  {  // every JS file at every level a profile shipping it needs, compressed in parallel
    std::vector<CompressedFiles::Request> requests;
    for (const Profile* p : profiles)
      if (auto out = outputs.find(variant_of[p]->key); out != outputs.end())
        for (const auto& f : out->second->files)
          if (is_js_path(f.logical_path)) requests.push_back({f.sha256, &f.bytes, p->zstd_level});
    compressed.prefetch(requests, options.jobs);
  }
  // One row per profile, in selection order. JS figures: every .js/.mjs file a bundle ships; each file is
  // compressed once per zstd level, not once per profile.
  auto by_size = [](const Contributor& a, const Contributor& c) { return a.bytes > c.bytes; };
  std::map<std::pair<std::string, int>, uint64_t> zstd_size;  // (sha256, level) -> compressed bytes
  auto js_figures = [&](const TargetOutput& out, int level) {
    std::pair<std::vector<Contributor>, std::vector<Contributor>> raw_zstd;
    for (const auto& f : out.files) {
      const std::string& path = f.logical_path;
      if (!is_js_path(path)) continue;
      const std::string& sha = f.sha256;
      auto [it, inserted] = zstd_size.try_emplace({sha, level}, 0);
      if (inserted) it->second = compressed.get(sha, f.bytes, level).size();
      raw_zstd.first.push_back({path, f.bytes.size()});
      raw_zstd.second.push_back({path, it->second});
    }
    std::stable_sort(raw_zstd.first.begin(), raw_zstd.first.end(), by_size);
    std::stable_sort(raw_zstd.second.begin(), raw_zstd.second.end(), by_size);
    return raw_zstd;
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
    row.ok = b.ok && outputs.count(v->key);
    if (row.ok) {
      row.optimized_bytes = b.figures.wasm_bytes;
      row.zstd_bytes = b.figures.wasm_zstd_bytes;
      row.lowering_costs = b.costs;
      // check-budgets: per profile, since profiles of one variant may budget differently.
      auto [js_raw, js_zstd] = js_figures(*outputs[v->key], p->zstd_level);
      BudgetInputs in{*p, b.figures, js_raw, js_zstd};
      row.figures = compute_figures(in);
      row.budgets_ok = check_budgets(in, diags, row.budgets);
    }
    result.rows.push_back(row);
  }
  stage_timed.reset();
  if (diags.has_errors() || !options.write_release) return result;

  // The release, in one rename (core/release_writer.cpp).
  ReleaseInput release;
  release.app = result.app;
  release.version = result.version;
  release.devices = pr->devices ? &*pr->devices : nullptr;
  release.channel = pr->config.channel;
  release.rollout_percent = pr->config.rollout_percent;
  release.sign_key = options.sign_key ? options.sign_key : pr->config.signing_key;
  release.archive = options.archive;
  release.report_json = render_release_report(result);
  release.compress = [&compressed](const std::string& sha, const Bytes& bytes, int level) -> const Bytes& {
    return compressed.get(sha, bytes, level);
  };
  report("writing the release");
  for (const Profile* p : profiles)
    release.bundles.push_back({p, variant_of[p]->key, p->target, outputs[variant_of[p]->key]});
  for (const auto& [key, b] : built)
    if (b.ok && b.symbol_map && !b.symbol_map->empty()) release.symbol_maps[sha(*b.engine)] = *b.symbol_map;
  {
    BuildTimings::Scope timed(timings, "release (manifests, files, publish)");
    result.published = write_release(release, result.release_dir, diags);
  }
  return result;
}

}  // namespace fleetpack
