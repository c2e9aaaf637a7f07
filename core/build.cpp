#include "core/build.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "base/suggest.h"
#include "core/config.h"
#include "passes/registry.h"
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
    c.select_where.clear();
  }
  for (const auto& d : o.profile_dirs) c.profile_dirs.push_back(d);
  if (o.out) c.out = *o.out;
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
                                            Diagnostics& diags) {
  std::vector<std::string> ids = c.select;
  if (ids.empty()) {
    for (const auto& [id, p] : catalog.all())
      if (p.file.rfind("<catalog>/", 0) != 0) ids.push_back(id);
  }
  if (ids.empty()) {
    diags.error(ErrorKind::Usage, Location{}, "no profile selected",
                fmt::format("pass --profile ID (known: {}), or list ids under `select:` in fleetpack.yaml",
                            fmt::join(catalog.ids(), ", ")));
    return {};
  }
  std::vector<const Profile*> out;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    const Profile* p = catalog.find(id);
    if (!p) {
      Location where = i < c.select_where.size() ? c.select_where[i] : Location{};
      diags.error(ErrorKind::Usage, where,
                  fmt::format("unknown profile '{}'{}", id, did_you_mean(id, catalog.ids())),
                  fmt::format("known profiles: {}", fmt::join(catalog.ids(), ", ")));
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

BuildResult run_build(const BuildOptions& options, Diagnostics& diags) {
  BuildResult result;
  auto config = settle_config(options, diags);
  if (!config) return result;
  result.app = config->app;
  result.version = config->version;
  result.engine = config->engine.string();
  result.release_dir = config->out / config->app / config->version;

  // Load: profiles, then inputs. Every error of this phase is reported before stopping.
  ProfileCatalog catalog = load_profiles(config->profile_dirs, diags);
  std::vector<const Profile*> profiles =
      diags.has_errors() ? std::vector<const Profile*>{} : select_profiles(*config, catalog, diags);
  auto engine_bytes = read_file(config->engine, diags);
  std::vector<AppFile> app_files;
  for (const auto& js : config->js) {
    if (auto b = read_file(js, diags, 256 << 20))
      app_files.push_back({logical_path(js, config->js_root), std::move(*b)});
  }
  if (diags.has_errors()) return result;

  // Shared stage: validate and detect features once; optimize once per distinct level.
  StepContext shared(diags);
  shared.input_file = config->engine.string();
  shared.input_bytes = std::move(*engine_bytes);
  if (!run_validate(shared) || !run_detect_features(shared)) return result;
  for (const auto& u : shared.input_features) result.engine_features.add(u.feature);

  std::map<std::string, std::optional<WasmModule>> optimized;  // by optimize level
  for (const Profile* p : profiles) {
    if (optimized.count(p->optimize_level)) continue;
    StepContext ctx(diags);
    ctx.input_file = shared.input_file;
    ctx.module = shared.module;
    ctx.input_features = shared.input_features;
    ctx.optimize_level = p->optimize_level;
    // Messages name every profile that needs this level: they all fail with it.
    for (const Profile* q : profiles)
      if (q->optimize_level == p->optimize_level) ctx.profiles_sharing.push_back(q->id);
    optimized[p->optimize_level] = run_optimize(ctx) ? std::move(ctx.module) : std::nullopt;
  }

  // Per profile: check, strip, measure.
  std::vector<std::pair<const Profile*, Bytes>> shipped;
  for (const Profile* p : profiles) {
    BuildRow row{p->id, p->optimize_level, p->features};
    row.input_bytes = shared.input_bytes.size();
    const auto& opt = optimized[p->optimize_level];
    if (opt) {
      StepContext ctx(diags);
      ctx.input_file = shared.input_file;
      ctx.input = shared.input;
      ctx.input_features = shared.input_features;
      ctx.module = opt;
      ctx.profile = p;
      if (run_pipeline(StepStage::PerVariant, ctx)) {
        row.ok = true;
        row.optimized_bytes = ctx.figures.wasm_bytes;
        row.zstd_bytes = ctx.figures.wasm_zstd_bytes;
        shipped.emplace_back(p, std::move(ctx.module->bytes));
      }
    }
    result.rows.push_back(row);
  }
  if (diags.has_errors()) return result;

  // Write: stage the whole release, then move it into place in one rename.
  auto staging = StagingDir::create(result.release_dir, diags);
  if (!staging) return result;
  const TargetInfo* target = find_target("wasm");
  for (const auto& [profile, engine] : shipped) {
    TargetInput in{*profile, engine, app_files};
    if (!target->emit(in, staging->path() / profile->id, diags)) return result;
  }
  result.published = staging->publish(diags);
  return result;
}

}  // namespace fleetpack
