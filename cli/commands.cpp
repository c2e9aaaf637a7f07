#include "cli/commands.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <optional>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "base/content_store.h"
#include "base/diagnostic.h"
#include "base/file_io.h"
#include "base/symbol_map.h"
#include "cli/terminal.h"
#include "core/build.h"
#include "core/config.h"
#include "core/diff.h"
#include "core/inspect.h"
#include "core/lower.h"
#include "core/plan.h"
#include "core/profile_report.h"
#include "passes/registry.h"
#include "profiles/budget_figures.h"
#include "profiles/key_table.h"

namespace fleetpack::cli {

int finish(const Diagnostics& diags) {
  const bool colour = use_colour(stderr);
  for (const auto& d : diags.all()) {
    std::string text = format_diagnostic(d);
    std::fprintf(stderr, "%s\n", (colour ? colour_diagnostic(text) : text).c_str());
  }
  return diags.exit_code();
}

void print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

namespace {
/// finish() for --quiet: only the errors are printed; the exit code is the same.
int finish_errors_only(const Diagnostics& diags) {
  const bool colour = use_colour(stderr);
  for (const auto& d : diags.all()) {
    if (d.severity != Severity::Error) continue;
    std::string text = format_diagnostic(d);
    std::fprintf(stderr, "%s\n", (colour ? colour_diagnostic(text) : text).c_str());
  }
  return diags.exit_code();
}
}  // namespace

namespace {

struct InspectArgs {
  std::string module;
  bool json = false;
  size_t top = 10;
};

struct ProfilesArgs {
  std::string config;
  std::vector<std::string> dirs;
  bool json = false;
  std::string id;
  bool origin = false;
};

/// The catalog for `profiles` subcommands: built-ins, the config's folders (./fleetpack.yaml by default)
/// and --profiles.
ProfileCatalog catalog_for(const ProfilesArgs& a, Diagnostics& diags) {
  std::optional<fs::path> config;
  if (!a.config.empty())
    config = a.config;
  else if (access("fleetpack.yaml", R_OK) == 0)
    config = "fleetpack.yaml";
  std::vector<fs::path> dirs(a.dirs.begin(), a.dirs.end());
  return load_catalog(config, dirs, diags);
}

int run_profiles_list(const ProfilesArgs& a) {
  Diagnostics diags;
  ProfileCatalog catalog = catalog_for(a, diags);
  if (!diags.has_errors()) print(render_profile_list(catalog, a.json));
  return finish(diags);
}

int run_profiles_show(const ProfilesArgs& a) {
  Diagnostics diags;
  ProfileCatalog catalog = catalog_for(a, diags);
  if (!diags.has_errors()) {
    if (const Profile* p = catalog.find(a.id)) {
      print(render_profile_show(*p, a.origin));
    } else {
      diags.error(ErrorKind::Usage, Location{}, fmt::format("unknown profile '{}'", a.id),
                  "`fleetpack profiles list` shows the known ids");
    }
  }
  return finish(diags);
}

struct BuildArgs {
  std::string config;
  std::string engine;
  std::vector<std::string> js;
  std::vector<std::string> profiles;
  std::vector<std::string> profile_dirs;
  std::string out;
  std::string app;
  std::string version;
  std::string report_json;
  std::string report_junit;
  std::string report_markdown;
  bool timings = false;
  std::string devices;
  std::string sign;         ///< --sign KEY
  bool archive = false;     ///< --archive
  bool check_only = false;  ///< `fleetpack check`
  int jobs = 0;             ///< 0: one per core
  std::string cache_dir;    ///< --cache (default: resolve_cache_dir)
  bool no_cache = false;
  std::string remote_cache;
  double remote_timeout_s = 10;
  bool quiet = false;  ///< --quiet: errors and the one-line summary only
};

int run_inspect(const InspectArgs& a) {
  Diagnostics diags;
  auto report = inspect_module(a.module, diags);
  if (report) print(a.json ? render_inspect_json(*report, a.top) : render_inspect_text(*report, a.top));
  return finish(diags);
}

BuildOptions to_build_options(const BuildArgs& a) {
  BuildOptions o;
  if (!a.config.empty())
    o.config = a.config;
  else if (a.engine.empty() && access("fleetpack.yaml", R_OK) == 0)
    o.config = "fleetpack.yaml";
  if (!a.engine.empty()) o.engine = a.engine;
  for (const auto& j : a.js) o.js.emplace_back(j);
  o.profiles = a.profiles;
  for (const auto& d : a.profile_dirs) o.profile_dirs.emplace_back(d);
  if (!a.out.empty()) o.out = a.out;
  if (!a.devices.empty()) o.devices = a.devices;
  if (!a.app.empty()) o.app = a.app;
  if (!a.version.empty()) o.version = a.version;
  o.write_release = !a.check_only;
  if (!a.sign.empty()) o.sign_key = a.sign;
  o.archive = a.archive;
  o.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!a.no_cache)
    o.cache.dir =
        resolve_cache_dir(a.cache_dir.empty() ? std::nullopt : std::optional<fs::path>(a.cache_dir));
  o.cache.remote_url = a.remote_cache;
  o.cache.remote_timeout = std::chrono::milliseconds(static_cast<int64_t>(a.remote_timeout_s * 1000));
  return o;
}

int run_build_command(const BuildArgs& a) {
  BuildOptions o = to_build_options(a);
  Progress progress(!a.quiet);
  o.progress = [&progress](const std::string& what) { progress.update(what); };
  Diagnostics diags;
  BuildResult result = run_build(o, diags);
  const double wall = progress.elapsed();
  progress.done();
  if (a.quiet) {
    std::string line = render_build_summary(result);
    if (result.cache_enabled) line += "; " + render_cache_line(result.cache);  // ends with '\n'
    print(line.back() == '\n' ? line : line + "\n");
  } else {
    if (!result.rows.empty())
      print(use_colour(stdout) ? colour_table(render_build_table(result)) : render_build_table(result));
    if (result.cache_enabled) print(render_cache_line(result.cache));
  }
  if (a.timings) print("\n" + render_timings(result.timings, wall));
  if (!a.report_json.empty() && !result.app.empty())
    write_file_atomic(a.report_json, render_build_json(result), diags);
  if (!a.report_junit.empty() && !result.app.empty())
    write_file_atomic(a.report_junit, render_build_junit(result, diags), diags);
  if (!a.report_markdown.empty() && !result.app.empty())
    write_file_atomic(a.report_markdown, render_build_markdown(result), diags);
  if (const char* gha = std::getenv("GITHUB_ACTIONS"); gha && std::string(gha) == "true") {
    for (const auto& d : diags.all()) {
      if (a.quiet && d.severity != Severity::Error) continue;
      if (auto line = format_github_annotation(d); !line.empty()) print(line + "\n");
    }
  }
  return a.quiet ? finish_errors_only(diags) : finish(diags);
}

/// The flags `build` and `check` share: what to build and with which profiles.
void add_build_flags(CLI::App* cmd, BuildArgs& a) {
  cmd->add_option("-c,--config", a.config, "fleetpack.yaml (default: ./fleetpack.yaml if present)");
  cmd->add_option("--engine", a.engine, "the engine module (.wasm); overrides the config's");
  cmd->add_option("--js", a.js, "app JS file (repeatable); replaces the config's list");
  cmd->add_option("-p,--profile", a.profiles,
                  "profile id (repeatable); replaces `select:` and the device map");
  cmd->add_option("--profiles", a.profile_dirs, "folder of user profiles (repeatable)");
  cmd->add_option("--devices", a.devices, "device map CSV (model,profile); overrides `devices:`");
  cmd->add_option("-j,--jobs", a.jobs, "Binaryen workers at a time (default: one per core)");
  cmd->add_option("--cache", a.cache_dir,
                  "content store folder (default: $FLEETPACK_CACHE, else $XDG_CACHE_HOME/fleetpack, else "
                  "~/.cache/fleetpack); docs/cache.md");
  cmd->add_flag("--no-cache", a.no_cache, "neither read nor write the local content store");
  cmd->add_option(
      "--remote-cache", a.remote_cache,
      "shared cache URL speaking Bazel's HTTP cache protocol (GET/PUT URL/cas/<sha256>, URL/ac/<key>)");
  cmd->add_option("--remote-cache-timeout", a.remote_timeout_s,
                  "seconds a remote cache request may take before the build goes on without it")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("-q,--quiet", a.quiet,
                "for CI logs: print only errors and a one-line summary (no table, no progress, no "
                "warnings); exit codes unchanged");
  cmd->add_option("--report-junit", a.report_junit,
                  "also write the result as JUnit XML (a suite per profile)");
  cmd->add_flag("--timings", a.timings,
                "also print where the wall time went: each step, the Binaryen runs, zstd, the release");
  cmd->add_option("--report-markdown", a.report_markdown,
                  "also write a Markdown summary for a pull-request comment");
}

}  // namespace

void register_commands(CLI::App& app, std::function<int()>& run) {
  auto inspect_args = std::make_shared<InspectArgs>();
  CLI::App* inspect =
      app.add_subcommand("inspect", "Validate a module and report what it uses and what it is made of");
  inspect->add_option("module", inspect_args->module, "the .wasm file")->required();
  inspect->add_flag("--json", inspect_args->json,
                    "print JSON (schema fleetpack.inspect/1, see docs/inspect.md)");
  inspect->add_option("--top", inspect_args->top, "how many of the largest functions to list")
      ->capture_default_str();
  inspect->callback([&run, inspect_args] { run = [inspect_args] { return run_inspect(*inspect_args); }; });

  auto build_args = std::make_shared<BuildArgs>();
  CLI::App* build = app.add_subcommand("build",
                                       "Build the engine for each selected profile: validate, optimize, "
                                       "lower, check features and budgets, strip, write");
  build->footer("fleetpack.yaml keys:\n" + render_config_reference() +
                "\nExit codes: 0 ok, 1 a check failed, 2 usage or configuration error, 3 invalid input, "
                "4 internal error (a worker died).");
  add_build_flags(build, *build_args);
  build->add_option("-o,--out", build_args->out, "output folder (default: the config's `out:`, else ./dist)");
  build->add_option("--app", build_args->app,
                    "app name (default: the config's, else the engine's file name)");
  build->add_option("--version,--app-version", build_args->version,
                    "release version, semver (default: the config's `version:`, else `git describe` of its "
                    "folder; 0.0.0 without a config)");
  build->add_option("--sign", build_args->sign,
                    "minisign secret key (fleetpack keygen): sign index.json and every manifest "
                    "(<file>.minisig); overrides release.signing_key");
  build->add_flag("--archive", build_args->archive,
                  "also write <out>/<app>/<version>.tar.zst, a reproducible archive of the release");
  build->add_option("--report-json", build_args->report_json,
                    "also write the result table as JSON (schema fleetpack.build-report/1)");
  build->callback([&run, build_args] { run = [build_args] { return run_build_command(*build_args); }; });

  auto lower_opts = std::make_shared<LowerOptions>();
  auto lower_features = std::make_shared<std::string>();
  CLI::App* lower = app.add_subcommand(
      "lower",
      "Lower the post-MVP features a profile's VM lacks (no optimizing, no stripping), or say why not");
  lower->add_option("module", lower_opts->module, "the .wasm file")->required();
  auto* lower_profile =
      lower->add_option("-p,--profile", lower_opts->profile, "lower for this profile's wasm.features");
  auto* lower_feat = lower->add_option("--features", *lower_features,
                                       "or for exactly these features (comma-separated; empty: MVP)");
  lower_profile->excludes(lower_feat);
  lower->add_option("--profiles", lower_opts->profile_dirs, "folder of user profiles (repeatable)");
  lower->add_option("-o,--out", lower_opts->out, "where to write the lowered module")->required();
  lower->callback([&run, lower_opts, lower_features, lower_feat] {
    run = [lower_opts, lower_features, lower_feat] {
      if (lower_feat->count() > 0)
        lower_opts->features = *lower_features;
      else if (lower_opts->profile.empty())
        lower_opts->features = "";
      Diagnostics diags;
      LowerResult r = run_lower(*lower_opts, diags);
      if (r.bytes_before) print(render_lower_result(r));
      return finish(diags);
    };
  });

  auto check_args = std::make_shared<BuildArgs>();
  CLI::App* check = app.add_subcommand(
      "check", "Everything build does (lower, optimize, check features and budgets) but writing the release");
  add_build_flags(check, *check_args);
  check->add_option("--report-json", check_args->report_json,
                    "write the result as JSON (fleetpack.build-report/1)");
  check->callback([&run, check_args] {
    run = [check_args] {
      check_args->check_only = true;
      return run_build_command(*check_args);
    };
  });

  auto sym_map = std::make_shared<std::string>();
  auto sym_trace = std::make_shared<std::string>();
  CLI::App* symbolicate_cmd = app.add_subcommand(
      "symbolicate",
      "Turn wasm-function[N] frames of a stack trace back into names, with a release's symbol map");
  symbolicate_cmd->add_option("map", *sym_map, "symbols/<sha256>.map from the release")->required();
  symbolicate_cmd->add_option("trace", *sym_trace, "file with the stack trace (default: standard input)");
  symbolicate_cmd->callback([&run, sym_map, sym_trace] {
    run = [sym_map, sym_trace] {
      Diagnostics diags;
      auto map_bytes = read_file(*sym_map, diags, 256 << 20);
      std::string trace;
      if (sym_trace->empty()) {
        trace.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      } else if (auto t = read_file(*sym_trace, diags, 256 << 20)) {
        trace.assign(t->begin(), t->end());
      }
      if (map_bytes && !diags.has_errors())
        if (auto symbols =
                parse_symbol_map(*sym_map, std::string(map_bytes->begin(), map_bytes->end()), diags))
          print(symbolicate(trace, *symbols));
      return finish(diags);
    };
  });

  CLI::App* budgets = app.add_subcommand("budgets", "The budget figures: what each one measures");
  auto explain = std::make_shared<bool>(false);
  budgets->add_flag("--explain", *explain, "print every figure's definition (the default)");
  budgets->callback([&run] {
    run = [] {
      print(render_budget_reference());
      return 0;
    };
  });

  auto plan_args = std::make_shared<BuildArgs>();
  auto plan_json = std::make_shared<bool>(false);
  CLI::App* plan =
      app.add_subcommand("plan", "Show how the selected profiles group into variants (built once each)");
  plan->add_option("-c,--config", plan_args->config, "fleetpack.yaml (default: ./fleetpack.yaml if present)");
  plan->add_option("--engine", plan_args->engine, "the engine module (.wasm); overrides the config's");
  plan->add_option("-p,--profile", plan_args->profiles, "profile id (repeatable); replaces `select:`");
  plan->add_option("--profiles", plan_args->profile_dirs, "folder of user profiles (repeatable)");
  plan->add_option("--devices", plan_args->devices, "device map CSV (model,profile); overrides `devices:`");
  plan->add_flag("--json", *plan_json, "print JSON (schema fleetpack.plan/1)");
  plan->callback([&run, plan_args, plan_json] {
    run = [plan_args, plan_json] {
      Diagnostics diags;
      BuildOptions o = to_build_options(*plan_args);
      if (auto text = render_build_plan(o, *plan_json, diags)) print(*text);
      return finish(diags);
    };
  });

  auto diff_files = std::make_shared<std::vector<std::string>>(2);
  auto diff_json = std::make_shared<bool>(false);
  auto diff_markdown = std::make_shared<bool>(false);
  CLI::App* diff = app.add_subcommand(
      "diff", "Compare two builds' --report-json files: per profile and figure, old, new and delta");
  diff->add_option("old", (*diff_files)[0], "the earlier build's report (fleetpack.build-report/1)")
      ->required();
  diff->add_option("new", (*diff_files)[1], "the later build's report")->required();
  auto* diff_json_flag = diff->add_flag("--json", *diff_json, "print JSON (schema fleetpack.diff/1)");
  diff->add_flag("--markdown", *diff_markdown, "print a Markdown summary for a pull-request comment")
      ->excludes(diff_json_flag);
  diff->callback([&run, diff_files, diff_json, diff_markdown] {
    run = [diff_files, diff_json, diff_markdown] {
      Diagnostics diags;
      if (auto d = diff_report_files((*diff_files)[0], (*diff_files)[1], diags))
        print(*diff_json       ? render_diff_json(*d)
              : *diff_markdown ? render_diff_markdown(*d)
                               : render_diff_text(*d));
      return finish(diags);
    };
  });

  CLI::App* steps = app.add_subcommand("steps", "List the pipeline steps in order, with what each does");
  steps->callback([&run] {
    run = [] {
      for (const auto& s : all_steps())
        print(fmt::format("{:<32} {:<11} {}\n", s.name,
                          s.stage == StepStage::Shared ? "shared" : "per-variant", s.description));
      return 0;
    };
  });

  CLI::App* profiles = app.add_subcommand("profiles", "Device profiles");
  profiles->require_subcommand(1);
  auto profiles_args = std::make_shared<ProfilesArgs>();
  auto catalog_flags = [profiles_args](CLI::App* cmd) {
    cmd->add_option("-c,--config", profiles_args->config, "fleetpack.yaml whose `profiles:` folders to add");
    cmd->add_option("--profiles", profiles_args->dirs, "folder of user profiles (repeatable)");
  };
  CLI::App* list = profiles->add_subcommand("list", "List the known profiles (built-in and user)");
  catalog_flags(list);
  list->add_flag("--json", profiles_args->json, "print JSON (schema fleetpack.profiles/1)");
  list->callback(
      [&run, profiles_args] { run = [profiles_args] { return run_profiles_list(*profiles_args); }; });
  CLI::App* show = profiles->add_subcommand("show", "Print every effective value of a profile");
  catalog_flags(show);
  show->add_option("id", profiles_args->id, "profile id")->required();
  show->add_flag("--origin", profiles_args->origin, "also print the file:line:col that set each value");
  show->callback(
      [&run, profiles_args] { run = [profiles_args] { return run_profiles_show(*profiles_args); }; });
  auto device_args = std::make_shared<BuildArgs>();
  auto device_model = std::make_shared<std::string>();
  CLI::App* device = profiles->add_subcommand("device", "Print the profile of a device model, and why");
  device->add_option("model", *device_model, "device model id")->required();
  device->add_option("-c,--config", device_args->config,
                     "fleetpack.yaml (default: ./fleetpack.yaml if present)");
  device->add_option("--profiles", device_args->profile_dirs, "folder of user profiles (repeatable)");
  device->add_option("--devices", device_args->devices,
                     "device map CSV (model,profile); overrides `devices:`");
  device->callback([&run, device_args, device_model] {
    run = [device_args, device_model] {
      Diagnostics diags;
      BuildOptions o = to_build_options(*device_args);
      auto text = explain_device(o, *device_model, diags);
      if (text) print(*text);
      return finish(diags);
    };
  });
  CLI::App* keys = profiles->add_subcommand("keys", "Print the reference of every profile key");
  keys->callback([&run] {
    run = [] {
      print(render_profile_key_reference());
      return 0;
    };
  });

  register_release_commands(app, run);
  register_cache_commands(app, run);
  register_fallback_commands(app, run);
}

}  // namespace fleetpack::cli
